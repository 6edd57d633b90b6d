package io.peat.tck;

import java.util.Optional;
import org.automerge.Document;
import org.automerge.ObjectId;
import org.automerge.SyncState;
import org.automerge.Transaction;

/**
 * Makes real Automerge payloads for hand-written frames: a sync message that carries a
 * document's changes, and a saved document. Stateless; frees every native object it makes.
 */
public final class AutomergeMessages {
    private AutomergeMessages() {
    }

    /**
     * Runs the sync protocol between a document holding {@code field = value} and an empty one,
     * and returns the message that delivered the changes. Applied to any empty document, that
     * message alone materialises the field.
     *
     * @param field a root field
     * @param value its value
     * @return an Automerge sync message carrying the changes
     */
    public static byte[] deltaCarryingChanges(String field, String value) {
        Document source = document(field, value);
        Document mirror = new Document();
        SyncState toMirror = new SyncState();
        SyncState toSource = new SyncState();
        try {
            for (int round = 0; round < 10; round++) {
                Optional<byte[]> m = source.generateSyncMessage(toMirror);
                if (m.isPresent()) {
                    mirror.receiveSyncMessage(toSource, m.get());
                    if (mirror.get(ObjectId.ROOT, field).isPresent()) {
                        return m.get();
                    }
                }
                mirror.generateSyncMessage(toSource).ifPresent(r -> source.receiveSyncMessage(toMirror, r));
            }
            throw new IllegalStateException("Automerge did not deliver the changes within 10 rounds");
        } finally {
            source.free();
            mirror.free();
            toMirror.free();
            toSource.free();
        }
    }

    /**
     * @param field a root field
     * @param value its value
     * @return the saved bytes of a document holding {@code field = value}
     */
    public static byte[] snapshot(String field, String value) {
        Document d = document(field, value);
        try {
            return d.save();
        } finally {
            d.free();
        }
    }

    private static Document document(String field, String value) {
        Document d = new Document();
        try (Transaction tx = d.startTransaction()) {
            tx.set(ObjectId.ROOT, field, value);
            tx.commit();
        }
        return d;
    }
}
