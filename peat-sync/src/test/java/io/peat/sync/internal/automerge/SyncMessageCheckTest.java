package io.peat.sync.internal.automerge;

import static io.peat.sync.internal.automerge.Payloads.bytes;
import static io.peat.sync.internal.automerge.Payloads.cat;
import static io.peat.sync.internal.automerge.Payloads.nulls;
import static io.peat.sync.internal.automerge.Payloads.run;
import static io.peat.sync.internal.automerge.Payloads.str;
import static io.peat.sync.internal.automerge.Payloads.syncWith;
import static io.peat.sync.internal.automerge.Payloads.syncWithBloom;
import static io.peat.sync.internal.automerge.Payloads.uleb;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peat.spi.ProtocolViolationException;
import org.automerge.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each structural rule of {@link SyncMessageCheck}, with real messages that must pass. */
class SyncMessageCheckTest {
    private Document empty;
    private ActorSeqLedger emptyLedger;

    @BeforeEach
    void setUp() {
        empty = new Document();
        emptyLedger = ActorSeqLedger.of(empty);
    }

    @AfterEach
    void tearDown() {
        empty.free();
    }

    private static void refused(byte[] payload, String expected) {
        MalformedPayloadException e = assertThrows(MalformedPayloadException.class, () -> SyncMessageCheck.check(payload));
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }

    private void refusedWithLedger(byte[] payload, String expected) {
        MalformedPayloadException e = assertThrows(MalformedPayloadException.class,
                () -> SyncMessageCheck.check(payload, emptyLedger));
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }

    @Test
    void messagesAutomergeGeneratesPass() {
        FuzzSeeds seeds = FuzzSeeds.build();
        int checked = 0;
        for (FuzzSeeds.SyncSeed s : seeds.syncMessages) {
            if (s.receiver() == 0 && s.message().length == 124) {
                continue; // the crash payload
            }
            byte[] saved = seeds.receivers.get(s.receiver());
            Document receiver = saved.length == 0 ? new Document() : Document.load(saved);
            try {
                ActorSeqLedger ledger = ActorSeqLedger.of(receiver);
                assertDoesNotThrow(() -> SyncMessageCheck.check(s.message()));
                assertDoesNotThrow(() -> SyncMessageCheck.check(s.message(), ledger));
                checked++;
            } finally {
                receiver.free();
            }
        }
        assertTrue(checked > 20, "only " + checked + " messages");
    }

    @Test
    void isAProtocolViolation() {
        assertTrue(ProtocolViolationException.class.isAssignableFrom(MalformedPayloadException.class));
    }

    @Test
    void messageType() {
        refused(bytes(0x44, 0, 0, 0, 0), "type 0x44");
        refused(new byte[0], "truncated");
    }

    @Test
    void countsCannotClaimMoreItemsThanBytesRemain() {
        refused(cat(bytes(0x42, 5), new byte[32]), "count 5 needs at least 32 bytes each");
        refused(cat(bytes(0x42, 0, 0), uleb(1L << 40)), "have count");
        refused(cat(bytes(0x42, 0, 0, 0), uleb(Long.MAX_VALUE)), "change count");
    }

    @Test
    void leb128() {
        refused(bytes(0x42, 0x80), "truncated LEB128");
        refused(bytes(0x42, 0x80, 0x00, 0, 0, 0), "overlong LEB128");
        refused(bytes(0x42, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02), "too large for 64 bits");
    }

    @Test
    void truncatedHash() {
        refused(cat(bytes(0x42, 1), new byte[31]), "count 1 needs at least 32 bytes each, only 31 bytes remain");
    }

    @Test
    void bloomFilter() {
        assertDoesNotThrow(() -> SyncMessageCheck.check(syncWithBloom(bytes(1, 10, 7, 0xff, 0x03))));
        assertDoesNotThrow(() -> SyncMessageCheck.check(syncWithBloom(new byte[0])));
        refused(syncWithBloom(bytes(1, 0, 0, 0, 0)), "bloom bits_per_entry 0");
        refused(syncWithBloom(bytes(1, 65, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0)), "bloom bits_per_entry 65");
        refused(syncWithBloom(bytes(1, 10, 0, 0, 0)), "bloom num_probes 0");
        refused(syncWithBloom(cat(bytes(1, 10), uleb(0xFFFF_FFFFL), bytes(0, 0))), "bloom num_probes 4294967295");
        refused(syncWithBloom(bytes(0, 10, 7)), "0 entries must be encoded empty");
        refused(syncWithBloom(bytes(1, 10, 7, 0)), "needs 2");
        refused(syncWithBloom(bytes(1, 10, 7, 0, 0, 0)), "needs 2");
        refused(syncWithBloom(cat(uleb(1L << 32), bytes(10, 7))), "does not fit in 32 bits");
        // A filter whose length prefix runs past the message.
        refused(cat(bytes(0x42, 0, 0, 1, 0, 40), bytes(1, 10, 7)), "have[0] bloom: length 40");
    }

    @Test
    void capabilitiesAndTrailingBytes() {
        byte[] base = syncWith();
        assertDoesNotThrow(() -> SyncMessageCheck.check(cat(base, bytes(2, 1, 2))));
        refused(cat(base, bytes(2, 1, 2, 9)), "sync message: 1 trailing bytes");
        refused(cat(base, bytes(3, 1)), "capability count");
    }

    @Test
    void validHandMadeChangePasses() {
        byte[] msg = syncWith(Payloads.Change.putInRoot().chunk());
        assertDoesNotThrow(() -> SyncMessageCheck.check(msg));
        assertDoesNotThrow(() -> SyncMessageCheck.check(msg, emptyLedger));
    }

    @Test
    void chunkHeader() {
        byte[] chunk = Payloads.Change.putInRoot().chunk();
        byte[] badMagic = chunk.clone();
        badMagic[0] = 0x00;
        refused(syncWith(badMagic), "bad magic bytes 006f4a83");
        byte[] badSum = chunk.clone();
        badSum[5] ^= 1;
        refused(syncWith(badSum), "does not match the data");
        byte[] badType = chunk.clone();
        badType[8] = 3;
        refused(syncWith(badType), "unknown chunk type 3");
        byte[] shortData = java.util.Arrays.copyOf(chunk, chunk.length - 1);
        refused(syncWith(shortData), "data: length 23 but only 22 bytes remain");
        refused(syncWith(new byte[0]), "empty, expected at least one chunk");
        refused(syncWith(bytes(0x85, 0x6f)), "truncated magic");
    }

    @Test
    void compressedChanges() {
        byte[] body = Payloads.Change.putInRoot().body();
        byte[] good = Mutator.chunk(2, Mutator.deflate(body), body);
        assertDoesNotThrow(() -> SyncMessageCheck.check(syncWith(good)));
        byte[] z = Mutator.deflate(body);
        refused(syncWith(Mutator.chunk(2, java.util.Arrays.copyOf(z, z.length - 2), body)), "deflate stream");
        refused(syncWith(Mutator.chunk(2, cat(z, bytes(1)), body)), "after the end of the deflate stream");
        refused(syncWith(Mutator.chunk(2, bytes(0xff, 0xff, 0xff), body)), "deflate stream");
        // Checksum over the inflated change, not over the compressed bytes.
        refused(syncWith(Mutator.chunk(2, z, z)), "does not match the data");
    }

    @Test
    void deflateBomb() {
        byte[] zeros = new byte[(int) ChunkCheck.MAX_INFLATED_BYTES + 1024];
        byte[] z = Mutator.deflate(zeros);
        assertTrue(z.length < zeros.length / 500);
        refused(syncWith(Mutator.chunk(2, z, zeros)), "inflates past the limit");
    }

    @Test
    void changeHeader() {
        Payloads.Change c = Payloads.Change.putInRoot();
        c.startOp = 0;
        refused(syncWith(c.chunk()), "start_op 0 outside");
        c.startOp = 1L << 32;
        refused(syncWith(c.chunk()), "start_op 4294967296 outside");
        Payloads.Change m = Payloads.Change.putInRoot();
        m.message = bytes(0xc3, 0x28);
        refused(syncWith(m.chunk()), "message: invalid UTF-8");
        Payloads.Change d = Payloads.Change.putInRoot().col(0x42 | RawColumns.DEFLATE_BIT, run(1, uleb(1)));
        d.columns.remove(0x42);
        refused(syncWith(d.chunk()), "must not be deflated");
    }

    @Test
    void columnMetadata() {
        Payloads.Change c = Payloads.Change.putInRoot();
        byte[] body = c.body();
        // Declare the first column 100 bytes longer than the chunk holds.
        byte[] meta = cat(uleb(3), uleb(0x15), uleb(100));
        int at = indexOf(body, cat(uleb(3), uleb(0x15)));
        byte[] bad = cat(java.util.Arrays.copyOf(body, at), meta, java.util.Arrays.copyOfRange(body, at + 3, body.length));
        refused(syncWith(Mutator.chunk(1, bad)), "runs past the chunk");
        byte[] swapped = cat(java.util.Arrays.copyOf(body, at), cat(uleb(2), uleb(0x42), uleb(0), uleb(0x15), uleb(0)),
                java.util.Arrays.copyOfRange(body, body.length - 0, body.length));
        refused(syncWith(Mutator.chunk(1, swapped)), "out of normalized order");
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalStateException("not found");
    }

    @Test
    void opActorIndexAndCounters() {
        Payloads.Change obj = Payloads.Change.putInRoot().col(0x01, run(1, uleb(5))).col(0x02, run(1, uleb(1)));
        refused(syncWith(obj.chunk()), "obj: actor index 5 but the chunk names 1 actors");
        Payloads.Change big = Payloads.Change.putInRoot().col(0x01, run(1, uleb(0))).col(0x02, run(1, uleb(1L << 32)));
        refused(syncWith(big.chunk()), "obj: counter 4294967296 does not fit 32 bits");
        Payloads.Change onlyActor = Payloads.Change.putInRoot().col(0x01, run(1, uleb(0)));
        refused(syncWith(onlyActor.chunk()), "object id with only an actor");
        Payloads.Change pred = Payloads.Change.putInRoot()
                .col(0x70, run(1, uleb(1))).col(0x71, run(1, uleb(3))).col(0x73, run(1, Payloads.sleb(1)));
        refused(syncWith(pred.chunk()), "pred: actor index 3");
        Payloads.Change negPred = Payloads.Change.putInRoot()
                .col(0x70, run(1, uleb(1))).col(0x71, run(1, uleb(0))).col(0x73, run(1, Payloads.sleb(-1)));
        refused(syncWith(negPred.chunk()), "pred: counter -1");
        Payloads.Change missingPred = Payloads.Change.putInRoot().col(0x70, run(1, uleb(2)));
        refused(syncWith(missingPred.chunk()), "missing pred entry 0 of 2");
        Payloads.Change elem = new Payloads.Change()
                .col(0x11, run(1, uleb(9))).col(0x13, run(1, Payloads.sleb(4)))
                .col(0x42, run(1, uleb(1))).col(0x56, run(1, uleb(0)));
        refused(syncWith(elem.chunk()), "key: actor index 9");
        // Counter 0 with a non-zero actor is not the list head: native code indexes the actors.
        Payloads.Change notHead = new Payloads.Change()
                .col(0x11, run(1, uleb(2))).col(0x13, run(1, Payloads.sleb(0)))
                .col(0x42, run(1, uleb(1))).col(0x56, run(1, uleb(0)));
        refused(syncWith(notHead.chunk()), "key: actor index 2");
    }

    @Test
    void opIdsMustFit32Bits() {
        Payloads.Change c = new Payloads.Change()
                .col(0x15, run(2, str("k"))).col(0x42, run(2, uleb(1))).col(0x56, run(2, uleb(0)));
        c.startOp = 0xFFFF_FFFFL;
        refused(syncWith(c.chunk()), "op counter 4294967296 (start_op 4294967295 + 1) does not fit 32 bits");
        c.startOp = 0xFFFF_FFFEL;
        assertDoesNotThrow(() -> SyncMessageCheck.check(syncWith(c.chunk())));
    }

    @Test
    void actionsAndValues() {
        Payloads.Change action = Payloads.Change.putInRoot().col(0x42, run(1, uleb(9)));
        refused(syncWith(action.chunk()), "action 9 is not 0..7");
        Payloads.Change inc = Payloads.Change.putInRoot().col(0x42, run(1, uleb(5)))
                .col(0x56, run(1, uleb((1 << 4) | 6))).col(0x57, bytes('x'));
        refused(syncWith(inc.chunk()), "increment with a value of type 6");
        Payloads.Change incOk = Payloads.Change.putInRoot().col(0x42, run(1, uleb(5)))
                .col(0x56, run(1, uleb((1 << 4) | 4))).col(0x57, bytes(2));
        assertDoesNotThrow(() -> SyncMessageCheck.check(syncWith(incOk.chunk())));
        Payloads.Change longValue = Payloads.Change.putInRoot().col(0x56, run(1, uleb((50 << 4) | 6))).col(0x57, bytes('x'));
        refused(syncWith(longValue.chunk()), "value of 50 bytes runs past the value column");
        Payloads.Change nullKey = new Payloads.Change().col(0x42, run(1, uleb(1))).col(0x56, run(1, uleb(0)));
        refused(syncWith(nullKey.chunk()), "null key");
        Payloads.Change nullRun = Payloads.Change.putInRoot().col(0x42, nulls(0));
        refused(syncWith(nullRun.chunk()), "null run length 0");
    }

    @Test
    void runLengthCannotMakeNativeCodeLoopForever() {
        long n = 4 * OpColumnsCheck.MAX_OPS; // a few bytes claiming far more ops than their size allows
        Payloads.Change c = new Payloads.Change()
                .col(0x15, run(n, str("k"))).col(0x42, run(n, uleb(1))).col(0x56, run(n, uleb(0)));
        refused(syncWith(c.chunk()), "ops (and pred/succ entries) in one payload of this size");
    }

    @Test
    void mapKeysAndElementIdsCannotMeetInOneObject() {
        // op 1 makes a list (action 2) in the root; op 2 puts map key "k" into it (obj 1@0).
        Payloads.Change c = new Payloads.Change()
                .col(0x01, cat(nulls(1), run(1, uleb(0))))
                .col(0x02, cat(nulls(1), run(1, uleb(1))))
                .col(0x15, run(2, str("k")))
                .col(0x42, Payloads.cat(Payloads.sleb(-2), uleb(2), uleb(1)))
                .col(0x56, run(2, uleb(0)));
        refused(syncWith(c.chunk()), "map key on a list or text");
        // An element id on the root map.
        Payloads.Change e = new Payloads.Change()
                .col(0x11, run(1, uleb(0))).col(0x13, run(1, Payloads.sleb(1)))
                .col(0x42, run(1, uleb(1))).col(0x56, run(1, uleb(0)));
        refused(syncWith(e.chunk()), "element id on a map or table");
    }

    @Test
    void seqMustNotSkipAheadOfTheReceiver() {
        Payloads.Change first = Payloads.Change.putInRoot();
        Payloads.Change third = Payloads.Change.putInRoot();
        third.seq = 3;
        third.startOp = 3;
        refusedWithLedger(syncWith(third.chunk()), "seq 3 of actor aabb skips ahead of the 0 changes");
        Payloads.Change second = Payloads.Change.putInRoot();
        second.seq = 2;
        second.startOp = 2;
        assertDoesNotThrow(() -> SyncMessageCheck.check(syncWith(first.chunk(), second.chunk()), emptyLedger));
        refusedWithLedger(syncWith(first.chunk(), third.chunk()), "seq 3 of actor aabb skips ahead of the 1 changes");
        // Without the receiver's ledger the seq rule does not apply.
        assertDoesNotThrow(() -> SyncMessageCheck.check(syncWith(third.chunk())));
    }

    @Test
    void checkingDoesNotGrowTheLedger() {
        int before = emptyLedger.actorIds.size();
        for (int i = 0; i < 100; i++) {
            Payloads.Change c = Payloads.Change.putInRoot();
            c.actor = new byte[] {(byte) i, 1, 2};
            byte[] msg = syncWith(c.chunk());
            assertDoesNotThrow(() -> SyncMessageCheck.check(msg, emptyLedger));
        }
        assertTrue(emptyLedger.actorIds.size() == before, "the ledger learned actors from payloads it only checked");
    }

    @Test
    void theLedgerIsAskedForOnlyWhenTheMessageCarriesChanges() {
        Document sender = new Document();
        org.automerge.SyncState state = new org.automerge.SyncState();
        org.automerge.SyncState back = new org.automerge.SyncState();
        try {
            try (org.automerge.Transaction tx = sender.startTransaction()) {
                tx.set(org.automerge.ObjectId.ROOT, "k", "v");
                tx.commit();
            }
            byte[] headsOnly = sender.generateSyncMessage(state).orElseThrow();
            java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
            assertDoesNotThrow(() -> SyncMessageCheck.check(headsOnly, () -> {
                asked.incrementAndGet();
                return emptyLedger;
            }));
            assertEquals(0, asked.get(), "a message without changes asked for the ledger");

            empty.receiveSyncMessage(back, headsOnly);
            sender.receiveSyncMessage(state, empty.generateSyncMessage(back).orElseThrow());
            byte[] withChanges = sender.generateSyncMessage(state).orElseThrow();
            assertDoesNotThrow(() -> SyncMessageCheck.check(withChanges, () -> {
                asked.incrementAndGet();
                return emptyLedger;
            }));
            assertEquals(1, asked.get(), "a message with changes is checked against the ledger, once");
        } finally {
            back.free();
            state.free();
            sender.free();
        }
    }

    @Test
    void aLazyLedgerStillRefusesASeqThatSkipsAhead() {
        // The same rule as with a ledger given outright: the laziness changes when, not what.
        Payloads.Change third = Payloads.Change.putInRoot();
        third.seq = 3;
        third.startOp = 3;
        MalformedPayloadException e = assertThrows(MalformedPayloadException.class,
                () -> SyncMessageCheck.check(syncWith(third.chunk()), () -> emptyLedger));
        assertTrue(e.getMessage().contains("seq 3 of actor aabb skips ahead of the 0 changes"), e.getMessage());
    }
}
