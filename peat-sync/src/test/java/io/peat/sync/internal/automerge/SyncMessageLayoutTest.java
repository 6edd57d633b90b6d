package io.peat.sync.internal.automerge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.automerge.ChangeHash;
import org.automerge.Document;
import org.automerge.ObjectId;
import org.automerge.SyncState;
import org.automerge.Transaction;
import org.junit.jupiter.api.Test;

/** Reshaping sync messages: every part is a message Automerge reads, and together they carry everything. */
class SyncMessageLayoutTest {

    /** A document with {@code n} changes of {@code size} bytes from {@code fill}. */
    private static Document doc(int n, int size, Random fill) {
        Document d = new Document();
        for (int i = 0; i < n; i++) {
            byte[] blob = new byte[size];
            if (fill != null) {
                fill.nextBytes(blob);
            }
            try (Transaction tx = d.startTransaction()) {
                tx.set(ObjectId.ROOT, "b" + i, blob);
                tx.commit();
            }
        }
        return d;
    }

    /** What {@code from} sends a peer that holds nothing and speaks V1 only (one change per entry), or V2. */
    private static byte[] firstMessage(Document from, boolean v2) {
        SyncState s = new SyncState();
        try {
            byte[] hello = v2 ? new byte[] {0x42, 0, 0, 1, 0, 0, 0, 2, 1, 2} : new byte[] {0x42, 0, 0, 1, 0, 0, 0};
            from.receiveSyncMessage(s, hello);
            return from.generateSyncMessage(s).orElseThrow();
        } finally {
            s.free();
        }
    }

    private static void applyAll(Document to, List<byte[]> parts) {
        SyncState s = new SyncState();
        try {
            for (byte[] p : parts) {
                SyncMessageCheck.check(p);
                to.receiveSyncMessage(s, p);
            }
        } finally {
            s.free();
        }
    }

    @Test
    void aMessageOverTheCapSplitsBetweenChangesIntoPartsThatEachFitAndTogetherCarryAll() {
        Document a = doc(40, 10_000, new Random(1));
        Document b = new Document();
        try {
            byte[] whole = firstMessage(a, false);
            SyncMessageLayout layout = SyncMessageLayout.parse(whole);
            assertTrue(layout.changeBytes() > 400_000, "40 changes of 10 kB: " + layout.changeBytes());
            List<byte[]> parts = layout.split(64 * 1024, () -> {
                throw new AssertionError("a V1 message has no document chunk to replace");
            });
            assertTrue(parts.size() >= 7, "parts: " + parts.size());
            parts.forEach(p -> assertTrue(p.length <= 64 * 1024, "part of " + p.length + " bytes"));
            applyAll(b, parts);
            assertArrayEquals(a.getHeads(), b.getHeads());
        } finally {
            a.free();
            b.free();
        }
    }

    @Test
    void aDocumentChunkOverTheCapIsReplacedByTheChangesItHolds() {
        Document a = doc(30, 10_000, new Random(2));
        Document b = new Document();
        try {
            SyncMessageLayout layout = SyncMessageLayout.parse(firstMessage(a, true));
            assertTrue(layout.carriesDocument(), "a V2 peer holding nothing is sent the saved document");
            List<byte[]> parts = layout.split(100_000, () -> a.encodeChangesSince(new ChangeHash[0]));
            assertTrue(parts.size() >= 3, "parts: " + parts.size());
            parts.forEach(p -> assertTrue(p.length <= 100_000, "part of " + p.length + " bytes"));
            applyAll(b, parts);
            assertArrayEquals(a.getHeads(), b.getHeads());
        } finally {
            a.free();
            b.free();
        }
    }

    @Test
    void oneChangeOverTheCapGoesDeflatedWhenThatFits() {
        Document a = doc(1, 300_000, null); // zeros: deflate well
        Document b = new Document();
        try {
            byte[] whole = firstMessage(a, false);
            List<byte[]> parts = SyncMessageLayout.parse(whole).split(64 * 1024, () -> null);
            assertEquals(1, parts.size());
            assertTrue(parts.get(0).length < 64 * 1024, "deflated: " + parts.get(0).length);
            applyAll(b, parts);
            assertArrayEquals(a.getHeads(), b.getHeads());
        } finally {
            a.free();
            b.free();
        }
    }

    @Test
    void oneChangeOverTheCapEvenDeflatedGoesAloneInAPartForTheCallerToFragment() {
        Document a = doc(3, 300_000, new Random(3));
        Document b = new Document();
        try {
            SyncMessageLayout layout = SyncMessageLayout.parse(firstMessage(a, false));
            List<byte[]> parts = layout.split(64 * 1024, () -> null);
            assertEquals(3, parts.size(), "one part per change");
            parts.forEach(p -> assertTrue(p.length > 300_000, "noise does not deflate: " + p.length));
            applyAll(b, parts);
            assertArrayEquals(a.getHeads(), b.getHeads());
        } finally {
            a.free();
            b.free();
        }
    }

    @Test
    void aMessageThatFitsIsReturnedAsItIs() {
        Document a = doc(2, 100, null);
        try {
            byte[] whole = firstMessage(a, true);
            List<byte[]> parts = SyncMessageLayout.parse(whole).split(1 << 20, () -> null);
            assertEquals(1, parts.size());
            assertSame(whole, parts.get(0));
        } finally {
            a.free();
        }
    }

    @Test
    void anAddedCapabilityIsSeenAndAutomergeStillReadsTheMessage() {
        Document a = doc(1, 100, null);
        Document b = new Document();
        try {
            SyncMessageLayout layout = SyncMessageLayout.parse(firstMessage(a, true));
            assertFalse(layout.hasCapability(0x70));
            byte[] marked = layout.withCapability(0x70);
            SyncMessageLayout again = SyncMessageLayout.parse(marked);
            assertTrue(again.hasCapability(0x70));
            assertTrue(again.hasCapability(SyncMessageLayout.CAPABILITY_V2));
            assertArrayEquals(layout.headsField(), again.headsField());
            applyAll(b, List.of(marked));
            assertArrayEquals(a.getHeads(), b.getHeads());
        } finally {
            a.free();
            b.free();
        }
    }
}
