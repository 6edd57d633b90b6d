package io.peat.sync.internal.channel;

import io.peat.sync.ChannelState;
import io.peat.spi.ByteStream;
import io.peat.spi.PeatException;
import io.peat.spi.PeerId;
import io.peat.sync.SyncConfig;
import io.peat.sync.wire.Frame;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link SyncChannel} per peer, in a single registry for both directions (SPEC section 3.1).
 *
 * <p><b>Which stream is the channel's.</b> A stream this side opens becomes the channel's at once
 * (it starts with an opener frame so the peer sees it). A stream the peer opens is adopted when the
 * channel has no live stream; when both sides opened one and the peer's id is lower (<em>the stream
 * opened by the lower peer id wins</em>, on one connection or across two simultaneous dials); or
 * when the peer's current stream is on an older connection than the new one (the peer came back). A stream that is not adopted is served as a secondary stream: read to its end and
 * dispatched, never written. The loser of a tie is finished by its stale writer after its last
 * frame, so no frame is lost either way.
 *
 * <p><b>Reconnect.</b> When the current stream fails, the channel goes to RECONNECTING and this
 * manager opens a new stream (on a live connection, or by redialing a remembered address): the
 * first attempts {@code reconnectDelay} apart, then backing off to {@code reconnectMaxBackoff},
 * until a stream is attached or the manager closes.
 *
 * <p>Threads: every method may be called from any thread and never blocks. The registry is a
 * concurrent map; which stream is a peer's is decided by {@link StreamAdoption} under that
 * channel's own lock ({@link SyncChannel#offer}), and every call out (reader, listener, transport)
 * is made after the lock is released.
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
    private volatile boolean closed;

    private final SyncChannel.ChannelOwner owner = new SyncChannel.ChannelOwner() {
        @Override
        public CompletionStage<Void> sendPerMessage(PeerId peer, Frame frame) {
            return perMessage.send(peer, frame, counters.apply(peer));
        }

        @Override
        public void onFailed(SyncChannel channel, Throwable cause) {
            Long since = attachedAt.get(channel.peer());
            boolean shortLived = since != null && System.nanoTime() - since < config.reconnectDelay().toNanos();
            if (shortLived && attempts.getOrDefault(channel.peer(), 0) > 0) {
                // Streams keep dying right after they are attached (a peer that resets every stream, a
                // flapping link): each counts as a failed attempt, so retries back off instead of spinning.
                scheduleRetry(channel, cause);
                return;
            }
            // A stream that lived, or the first one to die young: reopen at once.
            attempts.put(channel.peer(), shortLived ? 1 : 0);
            openStream(channel);
        }

        @Override
        public void onWritable(PeerId peer) {
            listener.onWritable(peer);
        }
    };

    /**
     * @param localPeer this node's id (for the tie-break rule)
     * @param config limits and timings
     * @param connections live connections and dial addresses
     * @param perMessage the fallback path
     * @param sink the single dispatch entry point for every frame read
     * @param listener told of channel events (the coordinator)
     * @param scheduler runs reconnect delays; owned by the caller
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
            openStream(ch);
        }
        return ch;
    }

    /** @return true when at least one channel has a live persistent stream */
    public boolean hasConnectedChannel() {
        return channels.values().stream().anyMatch(c -> c.state() == ChannelState.CONNECTED);
    }

    /**
     * A connection to a peer came up: a channel that was waiting for one opens its stream now.
     *
     * @param peer the peer
     */
    public void onConnection(PeerId peer) {
        SyncChannel ch = channels.get(peer);
        if (ch != null && ch.state() == ChannelState.RECONNECTING) {
            openStream(ch);
        }
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

    @Override
    public void close() {
        closed = true;
        channels.values().forEach(SyncChannel::close);
    }

    /** @return whether {@link #close()} was called */
    public boolean isClosed() {
        return closed;
    }

    private SyncChannel newChannel(PeerId peer) {
        return new SyncChannel(peer, config.sendQueueFrames(), config.sendQueueBytes(), counters.apply(peer), owner);
    }

    // Called with no lock held, once the channel took the stream.
    private void startReading(SyncChannel ch, ByteStream stream, SyncChannel.Attached a) {
        PeerId peer = ch.peer();
        attachedAt.put(peer, System.nanoTime());
        new StreamReader(stream, config, sink, counters.apply(peer), () -> {
            // The peer finished the persistent stream: the channel is over; finish our half too.
            LOG.debug("{}: peer {} finished stream {} (generation {})", localPeer, peer, stream.id(), a.generation());
            ch.markFailed(a.generation(), new PeatException("peer " + peer + " finished the sync stream"));
            stream.finish();
        }, e -> {
            if (ch.markFailed(a.generation(), e)) {
                stream.reset(0);
            }
        }).start();
        listener.onChannelConnected(peer, a.replacesStream());
    }

    private void openStream(SyncChannel ch) {
        if (closed || ch.state() == ChannelState.CLOSED || ch.state() == ChannelState.CONNECTED) {
            return;
        }
        PeerId peer = ch.peer();
        connections.connectionFor(peer).thenCompose(c -> c.openStream()).whenComplete((stream, e) -> {
            if (e != null) {
                scheduleRetry(ch, e);
                return;
            }
            SyncChannel.Attached a = closed ? SyncChannel.Attached.REFUSED : ch.offer(stream, true, localPeer);
            LOG.debug("{}: opened stream {} to {} on channel {}: {}", localPeer, stream.id(), peer, ch, a.adopted() ? "attached" : "left unused");
            if (a.adopted()) {
                startReading(ch, stream, a);
            }
            // Otherwise the stream is left unwritten: the peer never sees it (QUIC reveals a stream
            // with its first byte), so it cannot be mistaken for a live one.
        });
    }

    private void scheduleRetry(SyncChannel ch, Throwable cause) {
        if (closed || ch.state() == ChannelState.CONNECTED || ch.state() == ChannelState.CLOSED) {
            return;
        }
        int n = attempts.merge(ch.peer(), 1, Integer::sum);
        Duration delay = n <= config.reconnectAttempts() ? config.reconnectDelay()
                : minDuration(config.reconnectDelay().multipliedBy(1L << Math.min(20, n - config.reconnectAttempts())),
                        config.reconnectMaxBackoff());
        LOG.debug("stream to {} not opened (attempt {}): {}; retrying in {} ms", ch.peer(), n, cause.toString(), delay.toMillis());
        scheduler.schedule(() -> openStream(ch), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static Duration minDuration(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
