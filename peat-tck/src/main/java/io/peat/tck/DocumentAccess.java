package io.peat.tck;

import io.peat.sync.DocKey;
import io.peat.sync.SyncBackend;
import java.util.Optional;
import org.automerge.AmValue;
import org.automerge.ObjectId;

/** Writes and reads one root string field of a document through a backend, with bounded waits. Stateless. */
public final class DocumentAccess {
    private DocumentAccess() {
    }

    /**
     * Writes {@code field = value} at the root of a document.
     *
     * @param node the node
     * @param key the document
     * @param field the field
     * @param value the value
     */
    public static void put(SyncBackend node, DocKey key, String field, String value) throws Exception {
        TckWaits.get(node.change(key, tx -> tx.set(ObjectId.ROOT, field, value)));
    }

    /**
     * @param node the node
     * @param key the document
     * @param field a root field
     * @return the field's string value, if the document and field exist
     */
    public static Optional<String> text(SyncBackend node, DocKey key, String field) {
        try {
            return TckWaits.get(node.read(key, d -> d.get(ObjectId.ROOT, field)
                    .filter(v -> v instanceof AmValue.Str).map(v -> ((AmValue.Str) v).getValue()).orElse(null)))
                    .flatMap(Optional::ofNullable);
        } catch (Exception e) {
            throw new AssertionError("reading " + key + " on " + node.peerId() + " failed", e);
        }
    }

    /**
     * @param node the node
     * @param collection a collection
     * @param n how many documents {@code collection:d0 .. d(n-1)} to look at
     * @param field a root field
     * @return how many of them hold the field
     */
    public static int countPresent(SyncBackend node, String collection, int n, String field) {
        int c = 0;
        for (int i = 0; i < n; i++) {
            c += text(node, DocKey.of(collection, "d" + i), field).isPresent() ? 1 : 0;
        }
        return c;
    }
}
