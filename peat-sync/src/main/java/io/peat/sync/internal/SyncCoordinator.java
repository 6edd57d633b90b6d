package io.peat.sync.internal;

import io.peat.spi.ByteStream;
import io.peat.spi.PeatException;
import io.peat.spi.PeerConnection;
import io.peat.spi.PeerId;
import io.peat.spi.TransportListener;
import io.peat.sync.BackpressureException;
import io.peat.sync.DocKey;
import io.peat.sync.DocumentStore;
import io.peat.sync.SyncConfig;
import io.peat.sync.channel.ChannelListener;
import io.peat.sync.channel.ChannelState;
import io.peat.sync.channel.FrameSink;
import io.peat.sync.channel.PeerConnections;
import io.peat.sync.channel.PeerCounters;
import io.peat.sync.channel.PerMessageSender;
import io.peat.sync.channel.StreamServing;
import io.peat.sync.channel.SyncChannel;
import io.peat.sync.channel.SyncChannelManager;
import io.peat.sync.wire.Frame;
import io.peat.sync.wire.MessageType;
import io.peat.sync.wire.TombstoneRecord;
import java.lang.ref.WeakReference;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.automerge.ChangeHash;
import org.automerge.Document;
import org.automerge.SyncState;
import org.automerge.Transaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the documents of one node in sync with its peers through Automerge's sync protocol: one
 * {@link SyncState} per (peer, document), local changes pushed to every connected peer, received
 * messages applied and answered, sync states reset when a peer's stream is replaced after a failure
 * (SPEC section 3.8).
 *
 * <p><b>Threads.</b> Everything that touches documents, sync states and the dirty sets runs on the
 * coordinator's single thread ({@code peat-sync-<peer>}); its task queue is bounded. Transport and
 * channel callbacks only hand work to that thread.
 *
 * <p><b>Flow.</b> Sends are pulled, not pushed: a change marks (peer, document) dirty, and the pump
 * generates a sync message for a dirty pair only while the peer's queue has room. A full queue
 * therefore coalesces edits into later messages instead of dropping them.
 *
 * <p><b>Ownership.</b> The coordinator reaches the channel manager through a weak reference, like
 * upstream: the backend that owns both is the manager's only strong holder. If that reference is
 * lost, every send silently takes the per-message path; {@link #hasPersistentSyncChannel()} exposes
 * exactly that, so a test can pin it (SPEC section 3.7).
 */
public final class SyncCoordinator implements TransportListener, FrameSink, ChannelListener, FrameDispatcher.Handler, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SyncCoordinator.class);

    // Set before the coordinator's thread starts (wire() runs before any task): names that thread.
    private volatile PeerId localPeer;
    private final SyncConfig config;
    private final DocumentStore store;
    private final Function<PeerId, PeerCounters> counters;
    private final FrameDispatcher dispatcher;
    private final ThreadPoolExecutor thread;
    private final AtomicLong negentropyMessages = new AtomicLong();

    // Set once by wire(), before the transport listens.
    private volatile PeerConnections connections;
    private volatile PerMessageSender perMessage;
    private volatile WeakReference<SyncChannelManager> manager = new WeakReference<>(null);

    // Owned by the coordinator thread.
    private final Map<PeerId, Map<DocKey, SyncState>> states = new HashMap<>();
    private final Map<PeerId, LinkedHashSet<DocKey>> dirty = new HashMap<>();
    private final Set<PeerId> peers = new HashSet<>();
    private final Set<PeerId> waitingForRoom = new HashSet<>();

    /**
     * @param localPeer this node's id as configured, until {@link #wire} gives the transport's
     * @param config limits
     * @param store the documents; the coordinator uses it on its thread only
     * @param counters per-peer counters
     */
    public SyncCoordinator(PeerId localPeer, SyncConfig config, DocumentStore store, Function<PeerId, PeerCounters> counters) {
        this.localPeer = localPeer;
        this.config = config;
        this.store = store;
        this.counters = counters;
        this.dispatcher = new FrameDispatcher(this, counters);
        this.thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(config.coordinatorQueue()), r -> {
            Thread t = new Thread(r, "peat-sync-" + this.localPeer);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Connects the coordinator to the channel layer. Call once, before the transport listens.
     *
     * @param localPeer this node's id as its transport verified it (names the coordinator thread)
     * @param connections live connections
     * @param perMessage the fallback path
     * @param channelManager the manager, held weakly (its owner must hold it strongly)
     */
    public void wire(PeerId localPeer, PeerConnections connections, PerMessageSender perMessage, SyncChannelManager channelManager) {
        this.localPeer = localPeer;
        this.connections = connections;
        this.perMessage = perMessage;
        this.manager = new WeakReference<>(channelManager);
    }

    /** @return the dispatch table every stream's frames go through */
    public FrameDispatcher dispatcher() {
        return dispatcher;
    }

    /** @return true when the channel manager is alive and at least one peer's persistent stream is live */
    public boolean hasPersistentSyncChannel() {
        SyncChannelManager m = manager.get();
        return m != null && !m.isClosed() && m.hasConnectedChannel();
    }

    /**
     * @param peer a peer
     * @return true when the manager is alive and the peer's persistent stream is live
     */
    public boolean hasPersistentSyncChannel(PeerId peer) {
        SyncChannelManager m = manager.get();
        return m != null && !m.isClosed() && m.channel(peer).map(c -> c.state() == ChannelState.CONNECTED).orElse(false);
    }

    /** @return negentropy messages received (reconciliation itself comes with a later issue) */
    public long negentropyMessages() {
        return negentropyMessages.get();
    }

    // ---- public operations, run on the coordinator thread ----

    /**
     * Runs a task on the coordinator thread.
     *
     * @param task the task; it may use the store
     * @param <T> result type
     * @return the task's result; exceptionally with {@link BackpressureException}-like
     *     {@link PeatException} when the coordinator's queue is full or it is closed
     */
    public <T> CompletableFuture<T> submit(Supplier<T> task) {
        CompletableFuture<T> out = new CompletableFuture<>();
        try {
            thread.execute(() -> {
                try {
                    out.complete(task.get());
                } catch (Throwable t) {
                    out.completeExceptionally(t);
                }
            });
        } catch (RejectedExecutionException e) {
            out.completeExceptionally(new PeatException("sync coordinator of " + localPeer + " refused a task: "
                    + (thread.isShutdown() ? "it is closed" : "its queue of " + config.coordinatorQueue() + " tasks is full")));
        }
        return out;
    }

    /**
     * Applies a local edit to a document (creating it if needed) and pushes it to every peer.
     *
     * @param key the document
     * @param edit the edit, run inside one Automerge transaction on the coordinator thread
     * @return completes when applied locally (not when peers have it)
     */
    public CompletableFuture<Void> change(DocKey key, Consumer<Transaction> edit) {
        return submit(() -> {
            if (store.tombstone(key).isPresent()) {
                throw new PeatException("document " + key + " was deleted; its tombstone keeps it from coming back");
            }
            Document doc = store.get(key).orElseGet(() -> {
                Document d = new Document();
                store.put(key, d);
                return d;
            });
            try (Transaction tx = doc.startTransaction()) {
                edit.accept(tx);
                tx.commit();
            }
            markDirtyForAll(key, null);
            return null;
        });
    }

    /**
     * @param key the document
     * @param reader reads the document on the coordinator thread; must not keep it
     * @param <T> result type
     * @return the reader's result, or empty when the document is not held
     */
    public <T> CompletableFuture<Optional<T>> read(DocKey key, Function<Document, T> reader) {
        return submit(() -> store.get(key).map(reader));
    }

    /**
     * @param key a document
     * @return whether a tombstone for it is held
     */
    public CompletableFuture<Boolean> isDeleted(DocKey key) {
        return submit(() -> store.tombstone(key).isPresent());
    }

    /** @return the keys of every document held */
    public CompletableFuture<List<DocKey>> keys() {
        return submit(() -> List.copyOf(store.keys()));
    }

    // ---- TransportListener ----

    @Override
    public void onConnection(PeerConnection connection) {
        PeerConnections c = connections;
        if (c == null) {
            connection.close(0, "node not started");
            return;
        }
        c.add(connection);
    }

    @Override
    public void onStream(ByteStream stream) {
        SyncChannelManager m = manager.get();
        if (m != null) {
            m.onStream(stream);
        } else {
            StreamServing.serveSecondary(stream, config.maxPayloadBytes(), this, counters.apply(stream.connection().remotePeerId()));
        }
    }

    /**
     * Told by {@link PeerConnections} of every new connection, inbound or outbound.
     *
     * @param connection the connection
     */
    public void onConnectionAdded(PeerConnection connection) {
        PeerId peer = connection.remotePeerId();
        SyncChannelManager m = manager.get();
        if (m != null) {
            m.onConnection(peer);
        }
        submit(() -> {
            if (peers.add(peer)) {
                markAllDirty(peer);
                pump(peer);
            }
            return null;
        });
    }

    // ---- FrameSink: the single entry point of every stream's frames ----

    @Override
    public CompletionStage<Void> onFrames(PeerId from, List<Frame> frames) {
        return submit(() -> {
            if (peers.add(from)) {
                markAllDirty(from);
            }
            for (Frame f : frames) {
                dispatcher.dispatch(from, f);
            }
            pumpAll();
            return null;
        });
    }

    // ---- ChannelListener ----

    @Override
    public void onChannelConnected(PeerId peer, boolean replacesStream) {
        submit(() -> {
            if (replacesStream) {
                resetStates(peer);
            }
            if (replacesStream || peers.add(peer)) {
                markAllDirty(peer);
            }
            pump(peer);
            return null;
        });
    }

    @Override
    public void onWritable(PeerId peer) {
        submit(() -> {
            if (waitingForRoom.remove(peer)) {
                pump(peer);
            }
            return null;
        });
    }

    // ---- FrameDispatcher.Handler (coordinator thread) ----

    @Override
    public void onDeltaSync(PeerId from, String docKey, byte[] message) {
        DocKey key = DocKey.parse(docKey);
        if (store.tombstone(key).isPresent()) {
            return;
        }
        Document doc = store.get(key).orElseGet(() -> {
            Document d = new Document();
            store.put(key, d);
            return d;
        });
        ChangeHash[] before = doc.getHeads();
        doc.receiveSyncMessage(state(from, key), message);
        dirty(from).add(key);
        if (!Arrays.equals(before, doc.getHeads())) {
            markDirtyForAll(key, from);
        }
    }

    @Override
    public void onStateSnapshot(PeerId from, String docKey, byte[] saved) {
        DocKey key = DocKey.parse(docKey);
        if (store.tombstone(key).isPresent()) {
            return;
        }
        Document loaded = Document.load(saved);
        Optional<Document> held = store.get(key);
        if (held.isPresent()) {
            ChangeHash[] before = held.get().getHeads();
            held.get().merge(loaded);
            loaded.free();
            if (!Arrays.equals(before, held.get().getHeads())) {
                markDirtyForAll(key, from);
            }
        } else {
            store.put(key, loaded);
            markDirtyForAll(key, from);
        }
        dirty(from).add(key);
    }

    @Override
    public void onTombstone(PeerId from, TombstoneRecord tombstone) {
        DocKey key = DocKey.of(tombstone.collection(), tombstone.docId());
        if (store.putTombstone(tombstone)) {
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
        negentropyMessages.incrementAndGet();
        LOG.debug("negentropy init from {} ({} bytes): reconciliation is not implemented yet", from, message.length);
    }

    @Override
    public void onNegentropyResponse(PeerId from, byte[] message) {
        negentropyMessages.incrementAndGet();
        LOG.debug("negentropy response from {} ({} bytes): reconciliation is not implemented yet", from, message.length);
    }

    // ---- the pump (coordinator thread) ----

    private void pumpAll() {
        for (PeerId p : List.copyOf(dirty.keySet())) {
            pump(p);
        }
    }

    private void pump(PeerId peer) {
        LinkedHashSet<DocKey> todo = dirty.get(peer);
        if (todo == null || todo.isEmpty() || !peers.contains(peer)) {
            return;
        }
        SyncChannelManager m = manager.get();
        SyncChannel ch = m != null && !m.isClosed() ? m.channelFor(peer) : null;
        while (!todo.isEmpty()) {
            if (ch != null && ch.state() != ChannelState.RECONNECTING && !ch.hasRoom()) {
                waitingForRoom.add(peer);
                return;
            }
            DocKey key = todo.iterator().next();
            todo.remove(key);
            Optional<Document> doc = store.get(key);
            if (doc.isEmpty()) {
                continue;
            }
            SyncState state = state(peer, key);
            Optional<byte[]> msg = doc.get().generateSyncMessage(state);
            if (msg.isEmpty()) {
                continue;
            }
            Frame frame = Frame.of(key.toString(), MessageType.DELTA_SYNC, msg.get());
            CompletableFuture<Void> sent = (ch != null ? ch.send(frame) : perMessage.send(peer, frame, counters.apply(peer)))
                    .toCompletableFuture();
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
                        submit(() -> {
                            forget(peer, key);
                            dirty(peer).add(key);
                            return null;
                        });
                    }
                });
            }
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

    /** Stops the coordinator thread (bounded wait) and frees every sync state. The store is closed by its owner. */
    @Override
    public void close() {
        CompletableFuture<Void> freed = submit(() -> {
            states.values().forEach(m -> m.values().forEach(SyncState::free));
            states.clear();
            return null;
        });
        thread.shutdown();
        try {
            freed.get(5, TimeUnit.SECONDS);
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            thread.shutdownNow();
        }
    }

    /**
     * Runs the store's close on the coordinator thread, since only that thread may use it.
     *
     * @return completes when closed
     */
    public CompletableFuture<Void> closeStore() {
        return submit(() -> {
            store.close();
            return null;
        });
    }
}
