package io.peat.sync.internal.channel;

import io.peat.spi.ByteStream;
import io.peat.spi.CloseReason;
import io.peat.spi.ConnectionClosedException;
import io.peat.spi.PeatException;
import io.peat.spi.PeerConnection;
import io.peat.spi.PeerId;
import io.peat.spi.TransportException;
import io.peat.spi.internal.CompletionCauses;
import io.peat.sync.ChannelState;
import io.peat.sync.SyncConfig;
import io.peat.sync.wire.Frame;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link SyncChannel} per peer, in a single registry for both directions (SPEC sections 3.1
 * and 3.11).
 *
 * <p><b>Which stream is the channel's.</b> The node that dials a connection opens the persistent
 * stream on it at once; the peer adopts it and answers with its own opener, which settles the stream
 * ({@link SyncChannel}). A stream the peer opens is adopted when the channel has no live stream; when
 * both sides opened one and the peer's id is lower (<em>the stream opened by the lower peer id
 * wins</em>, on one connection or across two simultaneous dials); or when the peer's current stream
 * is on an older connection than the new one (the peer came back). A stream that is not adopted is
 * served as a secondary stream: read to its end and dispatched, never written.
 *
 * <p><b>One connection per pair.</b> A simultaneous dial leaves two connections; the persistent
 * stream settles on the one dialed by the lower id (its stream wins), and once it has, each side
 * closes every other connection it dialed to that peer with {@link CloseReason#DUPLICATE}, one settle
 * timeout later (the peer has moved off them by then).
 *
 * <p><b>Reconnect, give-up, goodbye.</b> When the current stream fails, the channel goes to
 * RECONNECTING and this manager opens a new stream (on a live connection, or by redialing a
 * remembered address): {@code reconnectAttempts} quick attempts {@code reconnectDelay} apart, then
 * exponential backoff with jitter up to {@code reconnectMaxBackoff}. A peer that closed its
 * connection with {@link CloseReason#GOING_AWAY} is CLOSED_BY_PEER: not redialed at once, only on
 * the slow end of that schedule. A peer without a live stream for {@code departAfter} is departed:
 * its channel, connections, address and fallback bound are released and the listener is told.
 *
 * <p><b>Heartbeat and partition.</b> Every half heartbeat interval a timer looks at each channel:
 * a settled stream on which nothing was written for {@code heartbeatInterval} carries an empty
 * SyncBatch; a stream whose reader has waited {@code partitionTimeout} for a byte is dropped as
 * partitioned (the channel reconnects).
 *
 * <p>Threads: every method may be called from any thread and never blocks. The registry is a
 * concurrent map; which stream is a peer's is decided by {@link StreamAdoption} under that
 * channel's own lock ({@link SyncChannel#offer}), and every call out (reader, listener, transport)
 * is made after the lock is released. Timers run on the caller-owned scheduler.
 */
public final class SyncChannelManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SyncChannelManager.class);

    private final PeerId localPeer;
    private final SyncConfig config;
    private final PeerConnections connections;
    private final PerMessageSender perMessage;
    private final FrameSink sink;
    private final ChannelListener listener;
    private final ScheduledExecutorService scheduler;
    private final Function<PeerId, PeerCounters> counters;
    private final Map<PeerId, SyncChannel> channels = new ConcurrentHashMap<>();
    private final Map<PeerId, Integer> attempts = new ConcurrentHashMap<>();
    private final Map<PeerId, Long> attachedAt = new ConcurrentHashMap<>();
    /** Since when (nanoTime) each peer has had no live stream; the departure clock. */
    private final Map<PeerId, Long> downSince = new ConcurrentHashMap<>();
    /** The reader of each channel's current stream, for partition detection. */
    private final Map<PeerId, LiveReader> readers = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private record LiveReader(long generation, StreamReader reader, ByteStream stream) {
    }

    private final SyncChannel.ChannelOwner owner = new SyncChannel.ChannelOwner() {
        @Override
        public CompletionStage<Void> sendPerMessage(PeerId peer, Frame frame) {
            return perMessage.send(peer, frame, counters.apply(peer));
        }

        @Override
        public void onFailed(SyncChannel channel, Throwable cause, PeerConnection lostOn) {
            if (closed) {
                return;
            }
            CloseReason said = cause instanceof ConnectionClosedException cce ? cce.reason() : null;
            if (said == null && !lostOn.isOpen()) {
                // The connection is closing: learn why before redialing (a peer saying goodbye is not redialed).
                lostOn.closeFuture().toCompletableFuture()
                        .completeOnTimeout(new CloseReason(CloseReason.LOST, "no close reason", false),
                                config.reconnectDelay().toMillis(), TimeUnit.MILLISECONDS)
                        .thenAccept(r -> afterFailure(channel, r, lostOn));
                return;
            }
            afterFailure(channel, said, lostOn);
        }

        @Override
        public void onWritable(PeerId peer) {
            listener.onWritable(peer);
        }

        @Override
        public void onSettled(SyncChannel channel, ByteStream stream) {
            attempts.remove(channel.peer());
            closeDuplicates(channel.peer(), stream.connection());
        }

        @Override
        public void onStateChanged(SyncChannel channel, ChannelState from, ChannelState to, long generation, String reason) {
            if (closed) {
                return;
            }
            PeerId peer = channel.peer();
            if (to == ChannelState.CONNECTED) {
                downSince.remove(peer);
            } else if (to != ChannelState.CLOSED) {
                long now = System.nanoTime();
                if (downSince.putIfAbsent(peer, now) == null) {
                    scheduler.schedule(() -> checkDeparture(channel, now), config.departAfter().toMillis(), TimeUnit.MILLISECONDS);
                }
            }
            listener.onChannelState(peer, from, to, generation, reason);
        }
    };

    /**
     * @param localPeer this node's id (for the tie-break rule)
     * @param config limits and timings
     * @param connections live connections and dial addresses
     * @param perMessage the fallback path
     * @param sink the single dispatch entry point for every frame read
     * @param listener told of channel events (the coordinator)
     * @param scheduler runs reconnect delays and the heartbeat; owned by the caller
     * @param counters the counters of each peer
     */
    public SyncChannelManager(PeerId localPeer, SyncConfig config, PeerConnections connections, PerMessageSender perMessage,
            FrameSink sink, ChannelListener listener, ScheduledExecutorService scheduler, Function<PeerId, PeerCounters> counters) {
        this.localPeer = localPeer;
        this.config = config;
        this.connections = connections;
        this.perMessage = perMessage;
        this.sink = sink;
        this.listener = listener;
        this.scheduler = scheduler;
        this.counters = counters;
        connections.onClosed(this::onConnectionClosed);
        long tick = Math.max(1, config.heartbeatInterval().toMillis() / 2);
        scheduler.scheduleWithFixedDelay(this::heartbeatTick, tick, tick, TimeUnit.MILLISECONDS);
    }

    /**
     * Creates the per-message sender a manager and its owner share.
     *
     * @param connections live connections and dial addresses
     * @param config limits and timings
     * @param sink where frames answered on one-shot streams go
     * @param scheduler runs read timeouts
     * @param counters the counters of each peer
     * @return the sender
     */
    public static PerMessageSender perMessageSender(PeerConnections connections, SyncConfig config, FrameSink sink,
            ScheduledExecutorService scheduler, Function<PeerId, PeerCounters> counters) {
        return new PerMessageSender(connections::connectionFor,
                s -> StreamServing.serveSecondary(s, config, sink, counters.apply(s.connection().remotePeerId())),
                scheduler, config.readTimeout(), config.maxFallbackInFlight());
    }

    /**
     * @param peer a peer
     * @return its channel, if one exists
     */
    public Optional<SyncChannel> channel(PeerId peer) {
        return Optional.ofNullable(channels.get(peer));
    }

    /** @return how many channels exist (one per peer not departed) */
    public int channelCount() {
        return channels.size();
    }

    /**
     * Per-peer entries this manager and its helpers hold, all maps together: what the departure of
     * peers must bring back down (SPEC 3.11). For tests and diagnostics.
     *
     * @return the entries held
     */
    public int peerEntries() {
        return channels.size() + attempts.size() + attachedAt.size() + downSince.size() + readers.size() + connections.peersHeld()
                + perMessage.peersHeld();
    }

    /**
     * Sends a frame to a peer on its channel, creating the channel (and opening its stream) if
     * needed. See {@link SyncChannel#send}.
     *
     * @param peer the peer
     * @param frame the frame
     * @return as {@link SyncChannel#send}
     */
    public CompletionStage<Void> send(PeerId peer, Frame frame) {
        return channelFor(peer).send(frame);
    }

    /**
     * @param peer the peer
     * @return its channel, created (and its first stream opened) if it did not exist
     * @throws PeatException when the manager is closed
     */
    public SyncChannel channelFor(PeerId peer) {
        if (closed) {
            throw new PeatException("sync channel manager is closed");
        }
        boolean[] created = {false};
        SyncChannel ch = channels.computeIfAbsent(peer, p -> {
            created[0] = true;
            return newChannel(p);
        });
        if (created[0]) {
            openStream(ch, null);
        }
        return ch;
    }

    /**
     * Makes sure the peer's channel has or is getting a stream, and tells when it is live (SPEC 3.11:
     * a completed {@code connect()} means the persistent path is live on both ends).
     *
     * @param peer a peer with an open connection
     * @return completes when the channel's stream has settled; exceptionally with
     *     {@link TransportException} when it has not within the read timeout
     */
    public CompletionStage<Void> whenLive(PeerId peer) {
        SyncChannel ch = channelFor(peer);
        ChannelState s = ch.state();
        if (s == ChannelState.RECONNECTING || s == ChannelState.CLOSED_BY_PEER) {
            openStream(ch, null);
        }
        Duration timeout = config.readTimeout();
        return ch.whenLive().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).exceptionally(e -> {
            Throwable t = CompletionCauses.unwrap(e);
            throw new TransportException("connected to " + peer + " but its sync stream did not settle within " + timeout.toMillis()
                    + " ms (" + t + "); the peer did not adopt the stream (SyncConfig.readTimeout)", t);
        });
    }

    /** @return true when at least one channel has a live persistent stream */
    public boolean hasConnectedChannel() {
        return channels.values().stream().anyMatch(c -> c.state() == ChannelState.CONNECTED);
    }

    /**
     * A connection to a peer came up. On a connection this node dialed, the persistent stream is
     * opened at once, unless a live stream on another open connection wins over it (the peer's
     * connection, dialed by the lower id); that connection is then a duplicate and is closed.
     *
     * @param connection the connection
     */
    public void onConnection(PeerConnection connection) {
        if (closed || !connection.isInitiator()) {
            return; // the dialer opens the stream; ours comes from a retry if it never does
        }
        PeerId peer = connection.remotePeerId();
        SyncChannel ch = channels.computeIfAbsent(peer, this::newChannel);
        Optional<ByteStream> cur = ch.currentStream();
        if (ch.state() == ChannelState.CONNECTED && cur.isPresent() && cur.get().connection() != connection
                && cur.get().connection().isOpen()) {
            boolean oursWins = !cur.get().connection().isInitiator() && localPeer.compareTo(peer) < 0;
            if (!oursWins) {
                if (ch.isLive()) {
                    LOG.debug("{}: connection to {} is a duplicate of the live one; closing it", localPeer, peer);
                    connection.close(CloseReason.DUPLICATE, "simultaneous dial: the connection dialed by the lower peer id is kept");
                }
                return;
            }
        }
        openStream(ch, connection);
    }

    /**
     * The peer opened a stream: adopt it as the channel's persistent stream or serve it as a
     * secondary stream (see the class comment).
     *
     * @param stream the new inbound stream
     */
    public void onStream(ByteStream stream) {
        PeerId peer = stream.connection().remotePeerId();
        if (closed) {
            stream.reset(0);
            return;
        }
        SyncChannel ch = channels.computeIfAbsent(peer, this::newChannel);
        SyncChannel.Attached a = ch.offer(stream, false, localPeer);
        LOG.debug("{}: stream {} from {} arrived on channel {}: {}", localPeer, stream.id(), peer, ch, a.adopted() ? "adopted" : "secondary");
        if (a.adopted()) {
            startReading(ch, stream, a);
        } else {
            StreamServing.serveSecondary(stream, config, sink, counters.apply(peer));
        }
    }

    /**
     * Starts closing: no stream is opened, no peer redialed and no failure acted on from now on.
     * Call before closing the connections, so that this node's own readers failing is not taken for
     * a lost peer; then {@link #close()}.
     */
    public void beginClose() {
        closed = true;
    }

    @Override
    public void close() {
        closed = true;
        channels.values().forEach(c -> c.close("node closing"));
    }

    /** @return whether {@link #close()} was called */
    public boolean isClosed() {
        return closed;
    }

    private SyncChannel newChannel(PeerId peer) {
        SyncChannel ch = new SyncChannel(peer, config.sendQueueFrames(), config.sendQueueBytes(), counters.apply(peer), owner);
        // The departure clock runs from creation: a channel that never gets a stream departs too.
        long now = System.nanoTime();
        downSince.put(peer, now);
        scheduler.schedule(() -> checkDeparture(ch, now), config.departAfter().toMillis(), TimeUnit.MILLISECONDS);
        return ch;
    }

    // Called with no lock held, once the channel took the stream.
    private void startReading(SyncChannel ch, ByteStream stream, SyncChannel.Attached a) {
        PeerId peer = ch.peer();
        attachedAt.put(peer, System.nanoTime());
        long generation = a.generation();
        FrameSink ofThisGeneration = new FrameSink() {
            @Override
            public CompletionStage<Void> onFrames(PeerId from, List<Frame> frames) {
                return sink.onPersistentFrames(from, frames, generation);
            }
        };
        StreamReader reader = new StreamReader(stream, config, ofThisGeneration, counters.apply(peer), () -> {
            // The peer finished the persistent stream: the channel is over; finish our half too.
            LOG.debug("{}: peer {} finished stream {} (generation {})", localPeer, peer, stream.id(), a.generation());
            ch.markFailed(a.generation(), new PeatException("peer " + peer + " finished the sync stream"));
            stream.finish();
        }, e -> {
            if (ch.markFailed(a.generation(), e)) {
                stream.reset(0);
            }
        });
        if (stream.isLocallyInitiated()) {
            reader.onFirstBytes(() -> ch.settle(a.generation()));
            scheduler.schedule(() -> {
                if (ch.settle(a.generation())) {
                    LOG.info("{}: peer {} did not answer the opener of stream {} within {} ms; writing on it anyway", localPeer, peer,
                            stream.id(), config.settleTimeout().toMillis());
                }
            }, config.settleTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }
        readers.put(peer, new LiveReader(a.generation(), reader, stream));
        // Before the reader hands on anything: the owner resets the peer's sync states on this call, and
        // frames of the new stream handled before that reset would be wiped with the old states.
        listener.onChannelConnected(peer, a.replacesStream(), generation);
        reader.start();
    }

    /** Opens a stream toward the peer: on {@code on} when given, else on its newest open connection (dialing if none). */
    private void openStream(SyncChannel ch, PeerConnection on) {
        if (closed || ch.state() == ChannelState.CLOSED || on == null && ch.state() == ChannelState.CONNECTED) {
            return;
        }
        PeerId peer = ch.peer();
        CompletionStage<PeerConnection> conn = on != null ? CompletableFuture.completedFuture(on) : connections.connectionFor(peer);
        conn.thenCompose(PeerConnection::openStream).whenComplete((stream, e) -> {
            if (e != null) {
                scheduleRetry(ch, e);
                return;
            }
            SyncChannel.Attached a = closed ? SyncChannel.Attached.REFUSED : ch.offer(stream, true, localPeer);
            LOG.debug("{}: opened stream {} to {} on channel {}: {}", localPeer, stream.id(), peer, ch, a.adopted() ? "attached" : "left unused");
            if (a.adopted()) {
                startReading(ch, stream, a);
            }
            // Otherwise the stream is left unwritten: the peer never sees it (QUIC reveals a stream with its
            // first byte), so it cannot be mistaken for a live one.
        });
    }

    private void afterFailure(SyncChannel channel, CloseReason said, PeerConnection lostOn) {
        if (closed) {
            return;
        }
        PeerId peer = channel.peer();
        if (said != null && said.isPeerGoingAway()) {
            if (channel.state() == ChannelState.CLOSED_BY_PEER || channel.peerClosed(lostOn, said.toString())) {
                scheduleRetry(channel, new PeatException("peer " + peer + " closed its node"));
            }
            return;
        }
        if (channel.state() != ChannelState.RECONNECTING) {
            return; // a stream arrived meanwhile, or the channel closed
        }
        Long since = attachedAt.get(peer);
        boolean shortLived = since != null && System.nanoTime() - since < config.reconnectDelay().toNanos();
        if (shortLived && attempts.getOrDefault(peer, 0) > 0) {
            // Streams keep dying right after they are attached (a peer that resets every stream, a
            // flapping link): each counts as a failed attempt, so retries back off instead of spinning.
            scheduleRetry(channel, new PeatException("stream to " + peer + " died young"));
            return;
        }
        // A stream that lived, or the first one to die young: reopen at once.
        attempts.put(peer, shortLived ? 1 : 0);
        openStream(channel, null);
    }

    private void onConnectionClosed(PeerConnection connection, CloseReason reason) {
        if (closed || !reason.isPeerGoingAway()) {
            return;
        }
        PeerId peer = connection.remotePeerId();
        SyncChannel ch = channels.get(peer);
        if (ch != null && connections.open(peer).isEmpty() && ch.peerClosed(connection, reason.toString())) {
            scheduleRetry(ch, new PeatException("peer " + peer + " closed its node"));
        }
    }

    /**
     * Closes the connections this node dialed to the peer other than the one its settled stream is
     * on, one settle timeout from now: by then the peer has moved its own current stream off them
     * (it opens its winning stream as soon as its connection is up), so closing them fails only
     * stale streams.
     */
    private void closeDuplicates(PeerId peer, PeerConnection keep) {
        if (connections.open(peer).stream().noneMatch(c -> c != keep && c.isInitiator())) {
            return;
        }
        scheduler.schedule(() -> {
            SyncChannel ch = channels.get(peer);
            Optional<ByteStream> cur = ch == null ? Optional.empty() : ch.currentStream();
            if (closed || cur.isEmpty() || cur.get().connection() != keep || !keep.isOpen()) {
                return; // the channel moved on meanwhile; its next settling decides
            }
            for (PeerConnection c : connections.open(peer)) {
                if (c != keep && c.isInitiator()) {
                    LOG.debug("{}: closing duplicate connection to {}", localPeer, peer);
                    c.close(CloseReason.DUPLICATE, "simultaneous dial: the connection dialed by the lower peer id is kept");
                }
            }
        }, config.settleTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void scheduleRetry(SyncChannel ch, Throwable cause) {
        ChannelState s = ch.state();
        if (closed || s == ChannelState.CONNECTED || s == ChannelState.CLOSED) {
            return;
        }
        if (s == ChannelState.CLOSED_BY_PEER && connections.address(ch.peer()).isEmpty()) {
            return; // nothing to dial: wait for the peer to come back
        }
        int n = attempts.merge(ch.peer(), 1, Integer::sum);
        long delay = retryDelayMillis(n, s == ChannelState.CLOSED_BY_PEER);
        LOG.debug("stream to {} not opened (attempt {}): {}; retrying in {} ms", ch.peer(), n, cause.toString(), delay);
        scheduler.schedule(() -> {
            if (channels.get(ch.peer()) == ch) {
                openStream(ch, null);
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    /**
     * The reconnect schedule: {@code reconnectAttempts} quick attempts {@code reconnectDelay} apart
     * (plus or minus a fifth), then exponential backoff capped at {@code reconnectMaxBackoff} with
     * "equal jitter" (half fixed, half random), so that peers cut off together do not redial in step.
     * A peer that closed its node is tried only at the slow end.
     */
    long retryDelayMillis(int attempt, boolean peerClosed) {
        long base = config.reconnectDelay().toMillis();
        long max = config.reconnectMaxBackoff().toMillis();
        ThreadLocalRandom r = ThreadLocalRandom.current();
        if (!peerClosed && attempt <= config.reconnectAttempts()) {
            return Math.max(1, base * 4 / 5 + r.nextLong(base * 2 / 5 + 1));
        }
        long cap = peerClosed ? max : Math.min(max, base << Math.min(20, attempt - config.reconnectAttempts()));
        return Math.max(1, cap / 2 + r.nextLong(cap / 2 + 1));
    }

    private void checkDeparture(SyncChannel ch, long since) {
        PeerId peer = ch.peer();
        Long down = downSince.get(peer);
        if (closed || channels.get(peer) != ch || down == null || down != since || ch.state() == ChannelState.CONNECTED) {
            return;
        }
        String reason = "no live stream for " + config.departAfter().toMillis() + " ms (SyncConfig.departAfter)";
        LOG.info("{}: peer {} departed: {}", localPeer, peer, reason);
        channels.remove(peer, ch);
        attempts.remove(peer);
        attachedAt.remove(peer);
        downSince.remove(peer);
        readers.remove(peer);
        perMessage.forget(peer);
        connections.forget(peer, "peer departed");
        ch.close(reason);
        listener.onPeerDeparted(peer, reason);
    }

    private void heartbeatTick() {
        if (closed) {
            return;
        }
        long now = System.nanoTime();
        long partition = config.partitionTimeout().toNanos();
        long beat = config.heartbeatInterval().toNanos();
        for (SyncChannel ch : channels.values()) {
            try {
                LiveReader r = readers.get(ch.peer());
                if (r != null && r.reader().silentNanos(now) > partition
                        && ch.markFailed(r.generation(), new PeatException("partition: nothing from peer " + ch.peer() + " for "
                                + config.partitionTimeout().toMillis() + " ms (SyncConfig.partitionTimeout)"))) {
                    readers.remove(ch.peer(), r);
                    r.stream().reset(0);
                    continue;
                }
                ch.heartbeatIfIdle(now, beat);
            } catch (RuntimeException e) {
                LOG.warn("heartbeat of the channel to {} failed", ch.peer(), e);
            }
        }
    }
}
