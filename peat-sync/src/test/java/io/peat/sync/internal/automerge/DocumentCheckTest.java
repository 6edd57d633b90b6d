package io.peat.sync.internal.automerge;

import static io.peat.sync.internal.automerge.Payloads.bytes;
import static io.peat.sync.internal.automerge.Payloads.cat;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.automerge.Document;
import org.junit.jupiter.api.Test;

/**
 * Each structural rule of {@link DocumentCheck}, with documents automerge-java saves that must
 * pass. The op-level rules shared with sync messages are in {@link SyncMessageCheckTest}; the
 * document-only op rules (actions, increments, keys against object types) are pinned by the fuzz
 * findings in {@link FuzzFindingPinsTest}.
 */
class DocumentCheckTest {

    private static void refused(byte[] saved, String expected) {
        MalformedPayloadException e = assertThrows(MalformedPayloadException.class, () -> DocumentCheck.check(saved));
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }

    @Test
    void documentsAutomergeSavesPass() {
        FuzzSeeds seeds = FuzzSeeds.build();
        int n = 0;
        boolean deflated = false;
        for (byte[] d : seeds.documents) {
            assertDoesNotThrow(() -> DocumentCheck.check(d));
            Mutator.ColumnModel m = Mutator.ColumnModel.parse(
                    java.util.Objects.requireNonNull(Mutator.chunks(d)).get(0).data(), true);
            if (m != null && m.specs.stream().anyMatch(s -> (s & RawColumns.DEFLATE_BIT) != 0)) {
                deflated = true;
            }
            n++;
        }
        for (byte[] r : seeds.receivers) {
            if (r.length > 0) {
                assertDoesNotThrow(() -> DocumentCheck.check(r));
                n++;
            }
        }
        Document empty = new Document();
        try {
            assertDoesNotThrow(() -> DocumentCheck.check(empty.save()));
        } finally {
            empty.free();
        }
        assertTrue(n > 40, "only " + n);
        assertTrue(deflated, "no seed document has deflated columns");
    }

    @Test
    void emptyAndTrailingBytes() {
        refused(new byte[0], "document: empty, expected at least one chunk");
        byte[] saved = FuzzSeeds.build().documents.get(0);
        refused(cat(saved, bytes(0x85, 0x6f)), "truncated magic bytes");
        refused(cat(saved, bytes(1, 2, 3, 4, 5)), "bad magic bytes");
    }

    @Test
    void checksum() {
        byte[] saved = FuzzSeeds.build().documents.get(0).clone();
        saved[saved.length - 3] ^= 0x10;
        refused(saved, "does not match the data");
    }

    @Test
    void documentChunkBody() {
        // A document chunk with one actor, no heads, no columns and one extra byte where head indices go.
        refused(Mutator.chunk(0, bytes(1, 1, 0xaa, 0, 0, 0, 7)), "trailing bytes");
        refused(Mutator.chunk(0, bytes(3, 1, 0xaa)), "actor count: count 3");
        refused(Mutator.chunk(0, bytes(0, 0, 1, 0x42, 9, 0)), "column[0] length 9 runs past the chunk");
        assertDoesNotThrow(() -> DocumentCheck.check(Mutator.chunk(0, bytes(0, 0, 0, 0))));
    }

    @Test
    void changeChunksAndCompressedChangesLoadLikeADocument() {
        byte[] change = Payloads.Change.putInRoot().chunk();
        assertDoesNotThrow(() -> DocumentCheck.check(change));
        byte[] body = Payloads.Change.putInRoot().body();
        assertDoesNotThrow(() -> DocumentCheck.check(Mutator.chunk(2, Mutator.deflate(body), body)));
    }

    @Test
    void seqMustNotSkipAheadInADocument() {
        Payloads.Change first = Payloads.Change.putInRoot();
        Payloads.Change third = Payloads.Change.putInRoot();
        third.seq = 3;
        refused(cat(first.chunk(), third.chunk()), "seq 3 of actor aabb skips ahead of the 1 changes");
        Payloads.Change second = Payloads.Change.putInRoot();
        second.seq = 2;
        assertDoesNotThrow(() -> DocumentCheck.check(cat(first.chunk(), second.chunk())));
    }

    @Test
    void deflatedColumnsMustInflate() {
        // Op column 0x42 marked deflated but holding bytes that are no deflate stream.
        refused(Mutator.chunk(0, bytes(0, 0, 0, 1, 0x42 | RawColumns.DEFLATE_BIT, 2, 0xff, 0xff)), "deflate stream");
    }
}
