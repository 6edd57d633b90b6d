package io.peat.sync;

import io.peat.spi.PeerAddress;
import io.peat.spi.PeerId;
import io.peat.spi.ProtocolViolationException;
import io.peat.spi.SyncTransport;
import io.peat.spi.SyncTransportProvider;
import io.peat.spi.TransportConfig;
import io.peat.spi.TransportDiscovery;
import io.peat.spi.internal.DaemonThreadFactory;
import io.peat.sync.internal.PeerStates;
import io.peat.sync.internal.RemoteChangeListeners;
import io.peat.sync.internal.SyncCoordinator;
import io.peat.sync.internal.channel.PeerConnections;
import io.peat.sync.internal.channel.PeerCounters;
import io.peat.sync.internal.channel.PerMessageSender;
import io.peat.sync.internal.channel.SyncChannel;
import io.peat.sync.internal.channel.SyncChannelManager;
import io.peat.sync.wire.Frame;
import io.peat.sync.wire.MessageType;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.automerge.Document;
import org.automerge.Transaction;

/**
 * A sync node: one transport endpoint, its channel manager, the coordinator and the document
 * store, wired together and owned for the node's whole life. This is the facade applications use.
 *
 * <p><b>Ownership (SPEC section 3.7).</b> The backend holds the {@link SyncChannelManager} in a
 * final field for as long as it lives; the coordinator only holds it weakly. Without this field
 * every message would silently take the per-message path; {@link #hasPersistentSyncChannel()}
 * tells which path is live.
 *
 * <p><b>Threads.</b> Every method may be called from any thread and returns without waiting for the
 * network; document work runs on the coordinator's thread. {@link #close()} waits a bounded time.
 */
public final class SyncBackend implements AutoCloseable {
    private final SyncTransport transport;
    private final SyncCoordinator coordinator;
    private final PeerConnections connections;
    /** The one strong reference to the channel manager: keep it for the backend's whole life. */
    private final SyncChannelManager channelManager;
    private final ScheduledExecutorService scheduler;
    private final Map<PeerId, PeerCounters> counters = new ConcurrentHashMap<>();
    /** The counters of every departed peer, summed. */
    private final PeerCounters departed = new PeerCounters();
    private final RemoteChangeListeners arrivals = new RemoteChangeListeners();
    private final PeerStates peerStates = new PeerStates(this::foldCounters);

    private SyncBackend(Builder b) {
        SyncTransportProvider provider = b.provider != null ? b.provider : TransportDiscovery.select(b.transportConfig);
        SyncConfig config = b.syncConfig;
        Function<PeerId, PeerCounters> countersOf = p -> counters.computeIfAbsent(p, x -> new PeerCounters());
        String name = b.transportConfig.localPeerId().map(PeerId::value).orElse("node");
        this.coordinator = new SyncCoordinator(name, config, b.store, b.payloadCheck, countersOf, arrivals, peerStates);
        this.transport = provider.create(b.transportConfig, coordinator);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(
                r -> DaemonThreadFactory.newDaemonThread("peat-sync-timer-" + transport.localPeerId(), r));
        this.connections = new PeerConnections(transport, coordinator::onConnectionAdded);
        PerMessageSender perMessage = SyncChannelManager.perMessageSender(connections, config, coordinator, scheduler, countersOf);
        this.channelManager = new SyncChannelManager(transport.localPeerId(), config, connections, perMessage, coordinator,
                coordinator, scheduler, countersOf);
        coordinator.wire(connections, perMessage, channelManager);
    }

    /** @return a builder; transport chosen by {@link TransportDiscovery} unless one is given */
    public static Builder builder() {
        return new Builder();
    }

    /** @return this node's peer id */
    public PeerId peerId() {
        return transport.localPeerId();
    }

    /** @return the transport endpoint (for tests and tooling) */
    public SyncTransport transport() {
        return transport;
    }

    /**
     * @param address where to listen
     * @return the bound address
     */
    public CompletionStage<PeerAddress> listen(PeerAddress address) {
        return transport.listen(address);
    }

    /**
     * Dials a peer (unless a connection to it is open) and remembers its address for reconnects.
     * The persistent stream is opened on the new connection at once, so when the returned stage
     * completes {@link #hasPersistentSyncChannel(PeerId)} is true on both ends and syncing has begun.
     *
     * @param address the peer's address
     * @param peer the peer id expected there
     * @return completes when the persistent stream is live; exceptionally as
     *     {@link SyncTransport#connect}, or with {@link io.peat.spi.TransportException} when the peer
     *     did not adopt the stream within {@link SyncConfig#readTimeout()}
     */
    public CompletionStage<Void> connect(PeerAddress address, PeerId peer) {
        connections.rememberAddress(peer, address);
        return connections.connectionFor(peer).thenCompose(c -> channelManager.whenLive(peer));
    }

    /**
     * @param peer a peer
     * @return its state; {@link PeerState#DEPARTED} for a peer this node does not know (never seen,
     *     or departed)
     */
    public PeerState peerState(PeerId peer) {
        return peerStates.state(peer);
    }

    /** @return the state of every peer this node knows (departed peers are not listed) */
    public Map<PeerId, PeerState> peerStates() {
        return peerStates.snapshot();
    }

    /**
     * Tells {@code listener} of every change of a peer's state from now on: connected,
     * reconnecting, closed by the peer, departed. See {@link PeerStateListener} for order and threads.
     *
     * @param listener the listener
     * @param executor where it is called; {@code Runnable::run} calls it on the sync thread, for a
     *     listener that only records and returns
     * @return removes the listener
     * @throws NullPointerException when either argument is null
     */
    public ListenerRegistration addPeerStateListener(PeerStateListener listener, Executor executor) {
        return peerStates.addListener(listener, executor);
    }

    /**
     * Edits a document (creating it if new) and syncs the edit to every connected peer.
     *
     * @param key the document
     * @param edit the edit, run inside one Automerge transaction on the coordinator thread
     * @return completes when applied locally
     */
    public CompletionStage<Void> change(DocKey key, Consumer<Transaction> edit) {
        return coordinator.change(key, edit);
    }

    /**
     * @param key the document
     * @param reader reads it on the coordinator thread; must not keep the document
     * @param <T> result type
     * @return the reader's result, or empty when the document is not held
     */
    public <T> CompletionStage<Optional<T>> read(DocKey key, Function<Document, T> reader) {
        return coordinator.read(key, reader);
    }

    /**
     * Tells {@code listener} of every peer's change applied to a document here from now on: the
     * document's key, the peer, whether it was new here and when it was applied. Local edits
     * ({@link #change}) are not reported. See {@link RemoteChangeListener} for order and threads.
     *
     * @param listener the listener
     * @param executor where it is called, one event at a time; {@code Runnable::run} calls it on the
     *     sync thread, for a listener that only records and returns
     * @return removes the listener
     * @throws NullPointerException when either argument is null
     */
    public ListenerRegistration addRemoteChangeListener(RemoteChangeListener listener, Executor executor) {
        return arrivals.add(listener, executor);
    }

    /** @return the keys of every document held */
    public CompletionStage<List<DocKey>> keys() {
        return coordinator.keys();
    }

    /**
     * @param key a document
     * @return whether the document was deleted (a tombstone for it is held)
     */
    public CompletionStage<Boolean> isDeleted(DocKey key) {
        return coordinator.isDeleted(key);
    }

    /**
     * @param peer a peer
     * @return the last protocol violation that peer committed (the stream it came on was dropped)
     */
    public Optional<ProtocolViolationException> lastProtocolViolation(PeerId peer) {
        PeerCounters c = counters.get(peer);
        return c == null ? Optional.empty() : Optional.ofNullable(c.lastProtocolViolation.get());
    }

    /**
     * Sends a raw frame to a peer on its persistent channel (per-message while reconnecting). For
     * tools and conformance tests; applications use {@link #change}.
     *
     * @param peer the peer
     * @param frame the frame
     * @return as {@link SyncChannel#send}
     */
    public CompletionStage<Void> send(PeerId peer, Frame frame) {
        return channelManager.send(peer, frame);
    }

    /**
     * @param peer a peer
     * @return its channel, if one exists
     */
    public Optional<PeerChannel> channel(PeerId peer) {
        return channelManager.channel(peer).map(c -> c);
    }

    /** For {@link ConformanceHooks} only. */
    Optional<SyncChannel> internalChannel(PeerId peer) {
        return channelManager.channel(peer);
    }

    /** @return true when the persistent path is live to at least one peer */
    public boolean hasPersistentSyncChannel() {
        return coordinator.hasPersistentSyncChannel();
    }

    /**
     * @param peer a peer
     * @return true when the persistent path to that peer is live
     */
    public boolean hasPersistentSyncChannel(PeerId peer) {
        return coordinator.hasPersistentSyncChannel(peer);
    }

    /** @return negentropy messages received so far */
    public long negentropyMessagesReceived() {
        return coordinator.negentropyMessages();
    }

    /**
     * @param type a live message type
     * @return frames of that type the dispatch table routed to their arm without error
     */
    public long dispatched(MessageType type) {
        return coordinator.dispatcher().dispatchedCount(type);
    }

    /** @return a snapshot of the counters */
    public SyncMetrics metrics() {
        Map<PeerId, PeerMetrics> out = new HashMap<>();
        counters.forEach((peer, c) -> out.put(peer, metricsOf(c, channelManager.channel(peer))));
        return new SyncMetrics(out, metricsOf(departed, Optional.empty()));
    }

    private static PeerMetrics metricsOf(PeerCounters c, Optional<SyncChannel> ch) {
        Map<MessageType, Long> sent = new EnumMap<>(MessageType.class);
        Map<MessageType, Long> received = new EnumMap<>(MessageType.class);
        for (MessageType t : MessageType.values()) {
            sent.put(t, c.framesSent.get(t.code()));
            received.put(t, c.framesReceived.get(t.code()));
        }
        return new PeerMetrics(c.bytesSent.get(), c.bytesReceived.get(), sent, received, ch.map(SyncChannel::queueDepth).orElse(0),
                c.reconnects.get(), c.fallbackSends.get(), c.unknownFrames.get(), c.protocolErrors.get(),
                ch.map(SyncChannel::state).orElse(null), c.pendingBytes.get(), c.oversizedChanges.get());
    }

    /** A departed peer's counters go into the departed total (sync thread). */
    private void foldCounters(PeerId peer) {
        PeerCounters c = counters.remove(peer);
        if (c != null) {
            c.addTo(departed);
        }
    }

    /**
     * Per-peer entries the node holds across its channel layer, sync side and counters: the size
     * that departed peers must not grow (SPEC 3.11). For tests and diagnostics.
     *
     * @return completes with the count, taken on the sync thread
     */
    CompletionStage<Integer> peerEntries() {
        return coordinator.submit(() -> channelManager.peerEntries() + coordinator.peerEntries() + counters.size()
                + peerStates.size());
    }

    /**
     * Closes the node: tells every connected peer it is going away (close code
     * {@link io.peat.spi.CloseReason#GOING_AWAY}, so it neither redials at once nor replays), then
     * closes channels, the transport, the coordinator and the store; waits a bounded time. Frames
     * still queued are not sent. Idempotent.
     */
    @Override
    public void close() {
        channelManager.beginClose();
        connections.all().forEach(c -> c.close(io.peat.spi.CloseReason.GOING_AWAY, "peat node closing"));
        channelManager.close();
        transport.close();
        try {
            coordinator.closeStore().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
        coordinator.close();
        scheduler.shutdownNow();
    }

    /** Builds a {@link SyncBackend}. Not thread-safe. */
    public static final class Builder {
        private TransportConfig transportConfig = TransportConfig.builder().build();
        private SyncTransportProvider provider;
        private SyncConfig syncConfig = SyncConfig.defaults();
        private DocumentStore store;
        private final io.peat.sync.internal.PayloadCheck payloadCheck = io.peat.sync.internal.AutomergePayloadCheck.INSTANCE;

        private Builder() {
        }

        /**
         * @param config the transport endpoint's configuration (names the transport, if wanted)
         * @return this builder
         */
        public Builder transportConfig(TransportConfig config) {
            this.transportConfig = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * @param provider a provider to use instead of discovery (tests swap transports here)
         * @return this builder
         */
        public Builder transportProvider(SyncTransportProvider provider) {
            this.provider = provider;
            return this;
        }

        /**
         * @param config sync limits and timings
         * @return this builder
         */
        public Builder syncConfig(SyncConfig config) {
            this.syncConfig = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * @param store the document store; the backend owns it from now on and closes it
         * @return this builder
         */
        public Builder store(DocumentStore store) {
            this.store = store;
            return this;
        }

        /**
         * @return a backend, not yet listening
         * @throws io.peat.spi.TransportNotFoundException when no transport matches
         */
        public SyncBackend build() {
            if (store == null) {
                store = new InMemoryDocumentStore();
            }
            return new SyncBackend(this);
        }
    }
}
