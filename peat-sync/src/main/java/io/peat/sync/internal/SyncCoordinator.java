package io.peat.sync.internal;

import io.peat.spi.ByteStream;
import io.peat.spi.PeatException;
import io.peat.spi.PeerConnection;
import io.peat.spi.PeerId;
import io.peat.spi.TransportListener;
import io.peat.sync.BackpressureException;
import io.peat.sync.ChannelState;
import io.peat.sync.DocKey;
import io.peat.sync.DocumentStore;
import io.peat.sync.SyncConfig;
import io.peat.sync.internal.channel.ChannelListener;
import io.peat.sync.internal.channel.FrameSink;
import io.peat.sync.internal.channel.PeerConnections;
import io.peat.sync.internal.channel.PeerCounters;
import io.peat.sync.internal.channel.PerMessageSender;
import io.peat.sync.internal.channel.StreamServing;
import io.peat.sync.internal.channel.SyncChannel;
import io.peat.sync.internal.channel.SyncChannelManager;
import io.peat.sync.wire.Frame;
import io.peat.sync.wire.MessageType;
import io.peat.sync.wire.TombstoneRecord;
import java.lang.ref.WeakReference;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.automerge.Document;
import org.automerge.Transaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires one node's sync side together: the {@link SyncExecutor} that owns all sync state, the
 * {@link DocumentSync} that does the Automerge work on it, and the {@link FrameDispatcher} every
 * stream's frames go through. It is what the transport and the channel layer call; every call only
 * hands work to the executor.
 *
 * <p><b>Threads.</b> Frames from streams go on the executor's inbound lane, which never refuses
 * them while the node is open (SPEC 3.12): a reader waits for its frames to be applied before it
 * reads on, so the lane holds at most one delivery per open stream. Channel events go on the same
 * lane, and so do re-tries of failed sends (they are few and must not be lost). Application calls go on the bounded local lane and are
 * refused with a typed error when it is full.
 *
 * <p><b>Ownership.</b> The coordinator reaches the channel manager through a weak reference, like
 * upstream: the backend that owns both is the manager's only strong holder. If that reference is
 * lost, every send silently takes the per-message path; {@link #hasPersistentSyncChannel()} exposes
 * exactly that, so a test can pin it (SPEC section 3.7).
 */
public final class SyncCoordinator implements TransportListener, FrameSink, ChannelListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SyncCoordinator.class);

    private final SyncExecutor executor;
    private final DocumentSync documents;
    private final FrameDispatcher dispatcher;
    private final Function<PeerId, PeerCounters> counters;
    private final SyncConfig config;
    private final AtomicLong negentropyMessages = new AtomicLong();
    private final PeerStates peerStates;
    // Owned by the sync thread.
    private final StaleSyncMessages stale = new StaleSyncMessages();

    // Set once by wire(), before the transport listens.
    private volatile PeerConnections connections;
    private volatile PerMessageSender perMessage;
    private volatile WeakReference<SyncChannelManager> manager = new WeakReference<>(null);

    /**
     * @param name names the sync thread (the local peer id as configured)
     * @param config limits
     * @param store the documents; used on the sync thread only
     * @param check checks every payload from the network before Automerge sees it
     * @param counters per-peer counters
     * @param arrivals told of every peer's change applied here
     * @param peerStates the peers' states, updated from channel events on the sync thread
     */
    public SyncCoordinator(String name, SyncConfig config, DocumentStore store, PayloadCheck check,
            Function<PeerId, PeerCounters> counters, RemoteChangeListeners arrivals, PeerStates peerStates) {
        this.config = config;
        this.peerStates = peerStates;
        this.counters = counters;
        this.executor = new SyncExecutor(name, config.coordinatorQueue());
        this.documents = new DocumentSync(executor, store, check, new ChannelOutbound(), arrivals, config, counters);
        this.dispatcher = new FrameDispatcher(new CountingHandler(documents), counters, config.maxPendingBytesPerPeer());
    }

    /**
     * Connects the coordinator to the channel layer. Call once, before the transport listens.
     *
     * @param connections live connections
     * @param perMessage the fallback path
     * @param channelManager the manager, held weakly (its owner must hold it strongly)
     */
    public void wire(PeerConnections connections, PerMessageSender perMessage, SyncChannelManager channelManager) {
        this.connections = connections;
        this.perMessage = perMessage;
        this.manager = new WeakReference<>(channelManager);
    }

    /** @return the dispatch table every stream's frames go through */
    public FrameDispatcher dispatcher() {
        return dispatcher;
    }

    /** @return the executor that owns the sync state (for tests) */
    public SyncExecutor executor() {
        return executor;
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

    // ---- public operations, run on the sync thread's local lane ----

    /**
     * Runs a task on the sync thread's local lane.
     *
     * @param task the task; it may use the store
     * @param <T> result type
     * @return the task's result; exceptionally with {@link PeatException} when the lane is full, or
     *     {@link io.peat.sync.NodeClosedException} when the node is closed
     */
    public <T> CompletableFuture<T> submit(Supplier<T> task) {
        return executor.local(task);
    }

    /**
     * Applies a local edit to a document (creating it if needed) and pushes it to every peer.
     *
     * @param key the document
     * @param edit the edit, run inside one Automerge transaction on the sync thread
     * @return completes when applied locally (not when peers have it)
     */
    public CompletableFuture<Void> change(DocKey key, Consumer<Transaction> edit) {
        return submit(() -> {
            documents.change(key, edit);
            return null;
        });
    }

    /**
     * @param key the document
     * @param reader reads the document on the sync thread; must not keep it
     * @param <T> result type
     * @return the reader's result, or empty when the document is not held
     */
    public <T> CompletableFuture<Optional<T>> read(DocKey key, Function<Document, T> reader) {
        return submit(() -> documents.store().get(key).map(reader));
    }

    /**
     * @param key a document
     * @return whether a tombstone for it is held
     */
    public CompletableFuture<Boolean> isDeleted(DocKey key) {
        return submit(() -> documents.store().tombstone(key).isPresent());
    }

    /** @return the keys of every document held */
    public CompletableFuture<List<DocKey>> keys() {
        return submit(() -> List.copyOf(documents.store().keys()));
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
            StreamServing.serveSecondary(stream, config, this, counters.apply(stream.connection().remotePeerId()));
        }
    }

    /**
     * Told by {@link PeerConnections} of every new connection, inbound or outbound.
     *
     * @param connection the connection
     */
    public void onConnectionAdded(PeerConnection connection) {
        SyncChannelManager m = manager.get();
        if (m != null) {
            m.onConnection(connection);
        } else {
            // No channel layer (SPEC 3.7's lost owner): the peer is owed every document over the fallback path.
            event(() -> documents.peerUp(connection.remotePeerId(), false));
        }
    }

    // ---- FrameSink: the single entry point of every stream's frames ----

    /** The "generation" of frames from one-shot and secondary streams: newer than any reset, never stale. */
    private static final long NOT_PERSISTENT = Long.MAX_VALUE;

    @Override
    public CompletionStage<Void> onFrames(PeerId from, List<Frame> frames) {
        return onPersistentFrames(from, frames, NOT_PERSISTENT);
    }

    @Override
    public CompletionStage<Void> onPersistentFrames(PeerId from, List<Frame> frames, long generation) {
        return executor.inbound(() -> {
            documents.peerSpoke(from);
            int dropped = 0;
            for (Frame f : frames) {
                if (stale.isStale(from, generation, f)) {
                    dropped++;
                } else {
                    dispatcher.dispatch(from, f);
                }
            }
            if (dropped > 0) {
                LOG.debug("dropped {} sync messages from {} read off its stream of generation {}: made for states reset since",
                        dropped, from, generation);
            }
            documents.pumpAll();
            return null;
        });
    }

    // ---- ChannelListener ----

    @Override
    public void onChannelConnected(PeerId peer, boolean replacesStream, long generation) {
        event(() -> {
            if (replacesStream) {
                stale.reset(peer, generation);
            }
            documents.peerUp(peer, replacesStream);
        });
    }

    @Override
    public void onWritable(PeerId peer) {
        event(() -> documents.onWritable(peer));
    }

    @Override
    public void onChannelState(PeerId peer, ChannelState from, ChannelState to, long generation, String reason) {
        event(() -> {
            if (!peerStates.channelState(peer, to, generation, reason)) {
                return; // stale: a later change was handled already
            }
            if (to == ChannelState.CLOSED_BY_PEER) {
                documents.releasePeer(peer); // nothing is sent to it; it starts over when it comes back
            }
        });
    }

    @Override
    public void onPeerDeparted(PeerId peer, String reason) {
        event(() -> {
            documents.releasePeer(peer);
            dispatcher.forget(peer);
            stale.forget(peer);
            peerStates.departed(peer, reason);
        });
    }

    /** @return per-peer entries held on the sync side (documents, dispatcher, states); call on the sync thread */
    public int peerEntries() {
        return documents.peerEntries() + dispatcher.peerEntries() + stale.peerEntries();
    }

    /** @return the peers' states, kept on the sync thread and readable from any */
    public PeerStates peerStates() {
        return peerStates;
    }

    private void event(Runnable r) {
        executor.inbound(() -> {
            r.run();
            return null;
        });
    }

    /** Counts negentropy messages on their way to the document side. */
    private final class CountingHandler implements FrameDispatcher.Handler {
        private final DocumentSync target;

        CountingHandler(DocumentSync target) {
            this.target = target;
        }

        @Override
        public void onDeltaSync(PeerId from, String docKey, byte[] message) {
            target.onDeltaSync(from, docKey, message);
        }

        @Override
        public void onStateSnapshot(PeerId from, String docKey, byte[] saved) {
            target.onStateSnapshot(from, docKey, saved);
        }

        @Override
        public void onTombstone(PeerId from, TombstoneRecord tombstone) {
            target.onTombstone(from, tombstone);
        }

        @Override
        public void onNegentropyInit(PeerId from, byte[] message) {
            negentropyMessages.incrementAndGet();
            target.onNegentropyInit(from, message);
        }

        @Override
        public void onNegentropyResponse(PeerId from, byte[] message) {
            negentropyMessages.incrementAndGet();
            target.onNegentropyResponse(from, message);
        }
    }

    /** Sends on the peer's persistent channel, or per message when the manager is gone (SPEC 3.7). */
    private final class ChannelOutbound implements DocumentSync.Outbound {
        @Override
        public boolean hasRoom(PeerId peer) {
            SyncChannelManager m = manager.get();
            if (m == null || m.isClosed()) {
                return true; // the fallback path takes every message
            }
            SyncChannel ch = m.channel(peer).orElse(null);
            if (ch == null) {
                return true; // the first send creates the channel
            }
            ChannelState s = ch.state();
            // Without a live stream nothing is made: when one is attached again the peer's sync states are
            // reset and what it still lacks is made then, once (SPEC 3.11: no byte is sent twice).
            return s != ChannelState.RECONNECTING && s != ChannelState.CLOSED_BY_PEER && s != ChannelState.CLOSED && ch.hasRoom();
        }

        @Override
        public CompletableFuture<Void> send(PeerId peer, Frame frame) {
            SyncChannel ch = channel(peer);
            if (ch == null) {
                return perMessage.send(peer, frame, counters.apply(peer)).toCompletableFuture();
            }
            ChannelState s = ch.state();
            if (s == ChannelState.RECONNECTING || s == ChannelState.CLOSED_BY_PEER) {
                // Not over the per-message path: this message is made again from the reset sync state once
                // a stream is back, so sending it now would send its bytes twice.
                return CompletableFuture.failedFuture(new BackpressureException(peer, "no live stream to " + peer + " (" + s
                        + "); sync messages wait for the channel"));
            }
            return ch.send(frame).toCompletableFuture();
        }

        private SyncChannel channel(PeerId peer) {
            SyncChannelManager m = manager.get();
            return m != null && !m.isClosed() ? m.channelFor(peer) : null;
        }
    }

    /** Stops the sync thread (bounded wait) after freeing every sync state. The store is closed by its owner. */
    @Override
    public void close() {
        if (!executor.closeAfter(documents::freeStates, 5000)) {
            LOG.warn("sync thread of {} did not end within 5 s of close", executor);
        }
    }

    /**
     * Runs the store's close on the sync thread, since only that thread may use it.
     *
     * @return completes when closed
     */
    public CompletableFuture<Void> closeStore() {
        return submit(() -> {
            documents.store().close();
            return null;
        });
    }
}
