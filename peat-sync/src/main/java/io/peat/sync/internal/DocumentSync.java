package io.peat.sync.internal;

import io.peat.spi.PeatException;
import io.peat.spi.PeerId;
import io.peat.sync.DocKey;
import io.peat.sync.DocumentStore;
import io.peat.sync.RemoteChange;
import io.peat.sync.internal.automerge.ActorSeqLedger;
import io.peat.sync.wire.Frame;
import io.peat.sync.wire.MessageType;
import io.peat.sync.wire.TombstoneRecord;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.automerge.ChangeHash;
import org.automerge.Document;
import org.automerge.SyncState;
import org.automerge.Transaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Automerge side of a node: the documents, one {@link SyncState} per (peer, document), and
 * which (peer, document) pairs owe the peer a sync message. It applies what the dispatch table
 * hands it and generates the answers, pulled by room in each peer's send queue.
 *
 * <p><b>Threads.</b> Every method runs on the node's {@link SyncExecutor} thread, which owns all of
 * this class's state (and the store's); methods assert it. Nothing here blocks.
 *
 * <p><b>Untrusted input.</b> A payload is checked by the {@link PayloadCheck} before it reaches
 * Automerge's native code; one that fails throws and leaves no trace: a sync message for a document
 * this node does not hold creates the document only when the message carried changes that applied
 * (SPEC 3.13).
 */
public final class DocumentSync implements FrameDispatcher.Handler {
    private static final Logger LOG = LoggerFactory.getLogger(DocumentSync.class);

    /** Where generated messages go. Called on the sync thread; must not block. */
    public interface Outbound {
        /**
         * @param peer a peer
         * @return false when the peer's persistent queue is full: stop generating and wait for
         *     {@link DocumentSync#onWritable}
         */
        boolean hasRoom(PeerId peer);

        /**
         * @param peer the peer
         * @param frame the frame
         * @return completes when queued (or, on the fallback path, written); exceptionally when refused
         */
        CompletableFuture<Void> send(PeerId peer, Frame frame);
    }

    private final SyncExecutor executor;
    private final DocumentStore store;
    private final PayloadCheck check;
    private final Outbound outbound;
    private final RemoteChangeListeners arrivals;

    // Owned by the executor thread.
    private final Map<PeerId, Map<DocKey, SyncState>> states = new HashMap<>();
    /** What the payload check must know of each held document, kept current incrementally. */
    private final Map<DocKey, ActorSeqLedger> ledgers = new HashMap<>();
    private final Map<PeerId, LinkedHashSet<DocKey>> dirty = new HashMap<>();
    private final Set<PeerId> peers = new HashSet<>();
    private final Set<PeerId> waitingForRoom = new HashSet<>();

    /**
     * @param executor the thread that owns this state
     * @param store the documents, used on that thread only
     * @param check checks every payload from the network before Automerge sees it
     * @param outbound where generated messages go
     * @param arrivals told of every peer's change applied here
     */
    public DocumentSync(SyncExecutor executor, DocumentStore store, PayloadCheck check, Outbound outbound,
            RemoteChangeListeners arrivals) {
        this.executor = executor;
        this.store = store;
        this.check = check;
        this.outbound = outbound;
        this.arrivals = arrivals;
        SyncStateSkipsLibraryLoad.ensureLoaded();
    }

    /** @return the documents; only for use on the sync thread */
    public DocumentStore store() {
        executor.assertOnThread();
        return store;
    }

    // ---- local operations ----

    /**
     * Applies a local edit (creating the document if needed) and marks it owed to every peer.
     *
     * @param key the document
     * @param edit run inside one transaction
     * @throws PeatException when the document was deleted
     */
    public void change(DocKey key, Consumer<Transaction> edit) {
        executor.assertOnThread();
        if (store.tombstone(key).isPresent()) {
            throw new PeatException("document " + key + " was deleted; its tombstone keeps it from coming back");
        }
        Optional<Document> held = store.get(key);
        Document doc = held.orElseGet(Document::new);
        try (Transaction tx = doc.startTransaction()) {
            edit.accept(tx);
            tx.commit();
        } catch (RuntimeException e) {
            if (held.isEmpty()) {
                doc.free();
            }
            throw e;
        }
        if (held.isEmpty()) {
            store.put(key, doc);
        }
        markDirtyForAll(key, null);
    }

    /**
     * A peer became reachable (connection or channel up): it is owed every document.
     *
     * @param peer the peer
     * @param replacesStream true when its stream was replaced: what was written on the old one may
     *     be lost, so its sync states start over
     */
    public void peerUp(PeerId peer, boolean replacesStream) {
        executor.assertOnThread();
        if (replacesStream) {
            resetStates(peer);
        }
        if (peers.add(peer) || replacesStream) {
            markAllDirty(peer);
        }
        pump(peer);
    }

    /**
     * Frames arrived from a peer: make sure it is known before they are dispatched.
     *
     * @param peer the sender
     */
    public void peerSpoke(PeerId peer) {
        executor.assertOnThread();
        if (peers.add(peer)) {
            markAllDirty(peer);
        }
    }

    /** @param peer its queue has room again */
    public void onWritable(PeerId peer) {
        executor.assertOnThread();
        if (waitingForRoom.remove(peer)) {
            pump(peer);
        }
    }

    /** Generates what every peer is owed, as far as their queues have room. */
    public void pumpAll() {
        executor.assertOnThread();
        for (PeerId p : List.copyOf(dirty.keySet())) {
            pump(p);
        }
    }

    /** Frees every sync state (the store is closed by its owner). */
    public void freeStates() {
        executor.assertOnThread();
        states.values().forEach(m -> m.values().forEach(SyncState::free));
        states.clear();
    }

    /**
     * @param peer a peer
     * @return how many sync states are held for it (for tests)
     */
    public int syncStates(PeerId peer) {
        executor.assertOnThread();
        Map<DocKey, SyncState> m = states.get(peer);
        return m == null ? 0 : m.size();
    }

    // ---- FrameDispatcher.Handler ----

    @Override
    public void onDeltaSync(PeerId from, String docKey, byte[] message) {
        executor.assertOnThread();
        DocKey key = DocKey.parse(docKey);
        if (store.tombstone(key).isPresent()) {
            return;
        }
        Optional<Document> held = store.get(key);
        if (held.isPresent()) {
            Document doc = held.get();
            check.syncMessage(message, ledger(key, doc));
            SyncState state = state(from, key);
            ChangeHash[] before = doc.getHeads();
            try {
                doc.receiveSyncMessage(state, message);
            } catch (RuntimeException e) {
                forget(from, key); // the state may have taken part of it in: start over with this peer
                throw e;
            }
            dirty(from).add(key);
            if (!Arrays.equals(before, doc.getHeads())) {
                arrived(key, from, false);
                markDirtyForAll(key, from);
            }
            return;
        }
        // Not held: the document comes into being only if the message carried changes that applied.
        Document doc = new Document();
        SyncState state;
        try {
            check.syncMessage(message, ActorSeqLedger.of(doc));
            state = state(from, key);
            doc.receiveSyncMessage(state, message);
        } catch (RuntimeException e) {
            doc.free();
            forget(from, key);
            throw e;
        }
        if (doc.getHeads().length > 0) {
            ledgers.remove(key);
            store.put(key, doc);
            arrived(key, from, true);
            dirty(from).add(key);
            markDirtyForAll(key, from);
            return;
        }
        // Nothing applied (the peer announced its heads): answer from the empty document, so the peer
        // sends its changes, and keep nothing. Its next message starts from a fresh state, as this one did.
        Optional<byte[]> reply;
        try {
            reply = doc.generateSyncMessage(state);
        } finally {
            doc.free();
            forget(from, key);
        }
        reply.ifPresent(r -> outbound.send(from, Frame.of(key.toString(), MessageType.DELTA_SYNC, r)));
    }

    @Override
    public void onStateSnapshot(PeerId from, String docKey, byte[] saved) {
        executor.assertOnThread();
        DocKey key = DocKey.parse(docKey);
        if (store.tombstone(key).isPresent()) {
            return;
        }
        check.document(saved);
        Document loaded = Document.load(saved);
        Optional<Document> held = store.get(key);
        if (held.isPresent()) {
            ChangeHash[] before = held.get().getHeads();
            try {
                held.get().merge(loaded);
            } finally {
                loaded.free();
            }
            if (!Arrays.equals(before, held.get().getHeads())) {
                arrived(key, from, false);
                markDirtyForAll(key, from);
            }
        } else if (loaded.getHeads().length > 0) {
            ledgers.remove(key);
            store.put(key, loaded);
            arrived(key, from, true);
            markDirtyForAll(key, from);
        } else {
            loaded.free(); // an empty document is no document
            return;
        }
        dirty(from).add(key);
    }

    @Override
    public void onTombstone(PeerId from, TombstoneRecord tombstone) {
        executor.assertOnThread();
        DocKey key = DocKey.of(tombstone.collection(), tombstone.docId());
        if (store.putTombstone(tombstone)) {
            ledgers.remove(key);
            for (Map<DocKey, SyncState> perPeer : states.values()) {
                SyncState s = perPeer.remove(key);
                if (s != null) {
                    s.free();
                }
            }
            dirty.values().forEach(d -> d.remove(key));
        }
    }

    @Override
    public void onNegentropyInit(PeerId from, byte[] message) {
        LOG.debug("negentropy init from {} ({} bytes): reconciliation is not implemented yet", from, message.length);
    }

    @Override
    public void onNegentropyResponse(PeerId from, byte[] message) {
        LOG.debug("negentropy response from {} ({} bytes): reconciliation is not implemented yet", from, message.length);
    }

    // ---- the pump ----

    private void pump(PeerId peer) {
        LinkedHashSet<DocKey> todo = dirty.get(peer);
        if (todo == null || todo.isEmpty() || !peers.contains(peer)) {
            return;
        }
        while (!todo.isEmpty()) {
            if (!outbound.hasRoom(peer)) {
                waitingForRoom.add(peer);
                return;
            }
            DocKey key = todo.iterator().next();
            todo.remove(key);
            Optional<Document> doc = store.get(key);
            if (doc.isEmpty()) {
                continue;
            }
            Optional<byte[]> msg = doc.get().generateSyncMessage(state(peer, key));
            if (msg.isEmpty()) {
                continue;
            }
            CompletableFuture<Void> sent = outbound.send(peer, Frame.of(key.toString(), MessageType.DELTA_SYNC, msg.get()));
            if (sent.isCompletedExceptionally()) {
                // Not sent, but the sync state believes it was: forget that state and try again later.
                forget(peer, key);
                todo.add(key);
                waitingForRoom.add(peer);
                return;
            }
            if (!sent.isDone()) {
                sent.whenComplete((v, e) -> {
                    if (e != null) {
                        // On the lane that never refuses: losing this would leave a state that believes it sent.
                        executor.inbound(() -> {
                            forget(peer, key);
                            dirty(peer).add(key);
                            return null;
                        });
                    }
                });
            }
        }
    }

    private void arrived(DocKey key, PeerId from, boolean created) {
        if (!arrivals.isEmpty()) {
            arrivals.publish(new RemoteChange(key, from, created, System.nanoTime(), 1));
        }
    }

    private void markAllDirty(PeerId peer) {
        dirty(peer).addAll(store.keys());
    }

    private void markDirtyForAll(DocKey key, PeerId except) {
        for (PeerId p : peers) {
            if (!p.equals(except)) {
                dirty(p).add(key);
                pump(p);
            }
        }
    }

    /** The document's ledger, brought up to date with every change it gained since the last check. */
    private ActorSeqLedger ledger(DocKey key, Document doc) {
        ActorSeqLedger l = ledgers.get(key);
        if (l == null) {
            l = ActorSeqLedger.of(doc);
            ledgers.put(key, l);
        } else {
            l.refresh(doc);
        }
        return l;
    }

    private LinkedHashSet<DocKey> dirty(PeerId peer) {
        return dirty.computeIfAbsent(peer, p -> new LinkedHashSet<>());
    }

    private SyncState state(PeerId peer, DocKey key) {
        return states.computeIfAbsent(peer, p -> new HashMap<>()).computeIfAbsent(key, k -> new SyncState());
    }

    private void forget(PeerId peer, DocKey key) {
        Map<DocKey, SyncState> m = states.get(peer);
        SyncState s = m == null ? null : m.remove(key);
        if (s != null) {
            s.free();
        }
    }

    private void resetStates(PeerId peer) {
        Map<DocKey, SyncState> m = states.remove(peer);
        if (m != null) {
            m.values().forEach(SyncState::free);
        }
    }
}
