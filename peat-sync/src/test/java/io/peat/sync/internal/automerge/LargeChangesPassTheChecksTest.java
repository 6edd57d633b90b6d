package io.peat.sync.internal.automerge;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.automerge.ChangeHash;
import org.automerge.Document;
import org.automerge.ObjectId;
import org.automerge.ObjectType;
import org.automerge.Transaction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pin: the op limit meant for a peer's run-length tricks refused real, large work. A document
 * holding one change of more than {@link OpColumnsCheck#MAX_OPS} ops (text of 4.3 million
 * characters) made its own ledger throw, so every message from the peer for that document was
 * refused (the 10 MiB text in peat-bench's loopback never synced); the same change sent by a peer
 * was refused too. Now a node's own document is walked without that limit, and a peer's payload may
 * walk {@link OpColumnsCheck#budgetFor} ops: the floor plus two per byte.
 */
class LargeChangesPassTheChecksTest {
    private static final int CHARS = (int) OpColumnsCheck.MAX_OPS + 100_000;
    private static Document doc;

    @BeforeAll
    static void build() {
        doc = new Document();
        char[] text = new char[CHARS];
        Random r = new Random(7);
        for (int i = 0; i < CHARS; i++) {
            text[i] = (char) ('a' + r.nextInt(26));
        }
        try (Transaction tx = doc.startTransaction()) {
            ObjectId t = tx.set(ObjectId.ROOT, "text", ObjectType.TEXT);
            tx.spliceText(t, 0, 0, new String(text));
            tx.commit();
        }
    }

    @AfterAll
    static void free() {
        doc.free();
    }

    @Test
    void aNodesOwnLargeDocumentMakesItsLedger() {
        assertDoesNotThrow(() -> ActorSeqLedger.of(doc), "the ledger of a document with one change of " + CHARS + " ops");
    }

    @Test
    void aPeersLargeRealChangePassesAndItsSizeStillBoundsTheWalk() {
        byte[] change = doc.encodeChangesSince(new ChangeHash[0]);
        byte[] message = Payloads.syncWith(change);
        assertTrue(OpColumnsCheck.budgetFor(message.length) >= CHARS, "the budget of a " + message.length + "-byte payload");
        assertDoesNotThrow(() -> SyncMessageCheck.check(message));
        assertDoesNotThrow(() -> SyncMessageCheck.check(message, ActorSeqLedger.of(new Document())));
        assertDoesNotThrow(() -> DocumentCheck.check(doc.save()));
    }
}
