package io.peat.sync;

import io.peat.sync.wire.TombstoneRecord;
import java.util.Collection;
import java.util.Optional;
import org.automerge.Document;

/**
 * Where a node keeps its Automerge documents and tombstones.
 *
 * <p>Threads: called only on the sync coordinator's thread, one call at a time, so implementations
 * need no locking of their own. The store owns the {@link Document}s it holds: it {@code free()}s
 * them when they are deleted or replaced and in {@link #close()}.
 */
public interface DocumentStore extends AutoCloseable {

    /**
     * @param key the document key
     * @return the document, if held and not deleted
     */
    Optional<Document> get(DocKey key);

    /**
     * Stores a document under a key, freeing any document it replaces.
     *
     * @param key the document key
     * @param document the document; the store now owns it
     */
    void put(DocKey key, Document document);

    /** @return the keys of every document held, in a stable order */
    Collection<DocKey> keys();

    /**
     * Records a tombstone and deletes (and frees) the document it names, if held.
     *
     * @param tombstone the tombstone
     * @return true when the tombstone was new (not already held with the same or a later lamport)
     */
    boolean putTombstone(TombstoneRecord tombstone);

    /**
     * @param key a document key
     * @return the tombstone for it, if the document was deleted
     */
    Optional<TombstoneRecord> tombstone(DocKey key);

    /** @return every tombstone held */
    Collection<TombstoneRecord> tombstones();

    /** Frees every document. */
    @Override
    void close();
}
