package io.peat.sync.internal.automerge;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.automerge.Document;
import org.automerge.ObjectId;
import org.automerge.ObjectType;
import org.automerge.SyncState;
import org.automerge.Transaction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pin: a saved document packs its op columns with deflate, so it holds far more ops per payload
 * byte than a change. The op budget counted payload bytes only, and the saved form of 10 MiB of
 * text (10.5 million ops in 6.8 MB), which first contact sends, was refused: "more than 17741340
 * ops (and pred/succ entries) in one payload of this size". Now each inflated byte earns ops as a
 * payload byte does, within the inflation limit.
 */
class SavedDocumentsPassTheChecksTest {
    private static final int CHARS = 3_000_000; // one letter repeated: its columns deflate to almost nothing
    private static Document doc;

    @BeforeAll
    static void build() {
        doc = new Document();
        try (Transaction tx = doc.startTransaction()) {
            ObjectId t = tx.set(ObjectId.ROOT, "text", ObjectType.TEXT);
            tx.spliceText(t, 0, 0, "a".repeat(CHARS));
            tx.commit();
        }
    }

    @AfterAll
    static void free() {
        doc.free();
    }

    @Test
    void aDenseSavedDocumentPassesAsASnapshotAndInAFirstContactMessage() {
        byte[] saved = doc.save();
        assertTrue(OpColumnsCheck.budgetFor(saved.length) < CHARS + CHARS / 2L,
                "the payload alone (" + saved.length + " bytes) buys fewer ops than the document walks");
        assertDoesNotThrow(() -> DocumentCheck.check(saved));
        SyncState s = new SyncState();
        try {
            doc.receiveSyncMessage(s, new byte[] {0x42, 0, 0, 1, 0, 0, 0, 2, 1, 2});
            byte[] message = doc.generateSyncMessage(s).orElseThrow();
            assertTrue(SyncMessageLayout.parse(message).carriesDocument());
            assertDoesNotThrow(() -> SyncMessageCheck.check(message, ActorSeqLedger.of(new Document())));
        } finally {
            s.free();
        }
    }
}
