package io.peat.sync;

import io.peat.sync.wire.TombstoneRecord;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.automerge.Document;

/**
 * A {@link DocumentStore} in heap memory. Not thread-safe: like every store, it is used by the
 * coordinator thread only.
 */
public final class InMemoryDocumentStore implements DocumentStore {
    // Owned by the coordinator thread.
    private final Map<DocKey, Document> docs = new TreeMap<>();
    private final Map<DocKey, TombstoneRecord> tombstones = new TreeMap<>();

    @Override
    public Optional<Document> get(DocKey key) {
        return Optional.ofNullable(docs.get(key));
    }

    @Override
    public void put(DocKey key, Document document) {
        Document old = docs.put(key, document);
        if (old != null && old != document) {
            old.free();
        }
    }

    @Override
    public Collection<DocKey> keys() {
        return List.copyOf(docs.keySet());
    }

    @Override
    public boolean putTombstone(TombstoneRecord tombstone) {
        DocKey key = DocKey.of(tombstone.collection(), tombstone.docId());
        TombstoneRecord held = tombstones.get(key);
        if (held != null && held.lamport() >= tombstone.lamport()) {
            return false;
        }
        tombstones.put(key, tombstone);
        Document doc = docs.remove(key);
        if (doc != null) {
            doc.free();
        }
        return true;
    }

    @Override
    public Optional<TombstoneRecord> tombstone(DocKey key) {
        return Optional.ofNullable(tombstones.get(key));
    }

    @Override
    public Collection<TombstoneRecord> tombstones() {
        return new ArrayList<>(tombstones.values());
    }

    @Override
    public void close() {
        docs.values().forEach(Document::free);
        docs.clear();
    }
}
