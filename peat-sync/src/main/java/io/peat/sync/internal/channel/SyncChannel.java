package io.peat.sync.internal.channel;

import io.peat.sync.ChannelState;
import io.peat.spi.ByteStream;
import io.peat.spi.ConnectionClosedException;
import io.peat.spi.PeatException;
import io.peat.spi.PeerConnection;
import io.peat.spi.PeerId;
import io.peat.spi.internal.CompletionCauses;
import io.peat.sync.BackpressureException;
import io.peat.sync.PeerChannel;
import io.peat.sync.wire.Frame;
import io.peat.sync.wire.SyncBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one persistent sync channel to a peer (SPEC section 3): a bounded send queue, one writer
 * that drains it onto the current stream, and the channel state with its generation number.
 *
 * <p><b>Settling.</b> A stream this side opens carries its opener and then nothing until the peer's
 * first bytes arrive on it (the peer answers an adopted stream with an opener of its own), or the
 * settle timeout passes: a stream the adoption rule drops carries no more than the opener. When a
 * stream is lost or replaced, queued sync messages (DeltaSync, SyncFragment) are dropped, because
 * the reset sync states make what is still missing again; other frames are kept and written whole
 * on the next stream.
 *
 * <p>Every stream attached to the channel starts a new <em>incarnation</em> with a new generation;
 * its writer and reader carry that generation and, once it is stale, exit quietly without touching
 * the channel's state.
 *
 * <p>Threads: {@link #send} and the getters may be called from any thread and never block. State,
 * generation and the current incarnation are guarded by the channel's lock; the queue is its own
 * monitor; the writer of an incarnation runs on transport completion threads, one step at a time.
 */
public final class SyncChannel implements PeerChannel {
    private static final Logger LOG = LoggerFactory.getLogger(SyncChannel.class);

    private final PeerId peer;
    private final SendQueue queue;
    private final PeerCounters counters;
    private final ChannelOwner owner;

    private final Object lock = new Object();
    // Guarded by lock.
    private ChannelState state = ChannelState.CONNECTING;
    private long generation;
    private Incarnation current;
    /**
     * Whether any stream of this channel was ever settled (adopted by both ends, so sync messages may
     * have crossed on it either way): a later stream replaces it. A stream replaced before it settled
     * (a simultaneous open settling) carried only openers and lost nothing.
     */
    private boolean everLive;
    /**
     * A replaced stream that was settled, whose FIN waits until its replacement settles (or the channel
     * moves on): the peer may still be reading it as its current stream, and would take an early FIN
     * for a lost stream (seen: a channel flapping to RECONNECTING right after connect() returned in a
     * simultaneous dial, when the FIN of the stream it settled on overtook the replacement's first bytes).
     */
    private Incarnation finHeld;
    /** Waiters for a settled stream ({@link #whenLive}). */
    private final List<CompletableFuture<Void>> liveWaiters = new ArrayList<>();

    /** What the channel needs from the manager that owns it. Called with no lock held. */
    interface ChannelOwner {
        CompletionStage<Void> sendPerMessage(PeerId peer, Frame frame);

        /** The current stream failed; {@code lostOn} is the connection it was on. */
        void onFailed(SyncChannel channel, Throwable cause, PeerConnection lostOn);

        void onWritable(PeerId peer);

        /** The current stream settled: the peer adopted it (or the settle timeout passed). */
        void onSettled(SyncChannel channel, ByteStream stream);

        /** The state changed; {@code generation} orders the calls of one channel. */
        void onStateChanged(SyncChannel channel, ChannelState from, ChannelState to, long generation, String reason);
    }

    SyncChannel(PeerId peer, int maxFrames, long maxBytes, PeerCounters counters, ChannelOwner owner) {
        this.peer = peer;
        this.queue = new SendQueue(maxFrames, maxBytes, () -> owner.onWritable(peer));
        this.counters = counters;
        this.owner = owner;
    }

    /** @return the remote peer */
    @Override
    public PeerId peer() {
        return peer;
    }

    /** @return the current state */
    @Override
    public ChannelState state() {
        synchronized (lock) {
            return state;
        }
    }

    /** @return the current generation; it grows by one at every stream attach and every failure */
    @Override
    public long generation() {
        synchronized (lock) {
            return generation;
        }
    }

    /** @return frames waiting in the send queue */
    @Override
    public int queueDepth() {
        return queue.size();
    }

    /** @return bytes waiting in the send queue */
    @Override
    public long queuedBytes() {
        return queue.bytes();
    }

    /** @return whether a send now would be queued rather than refused */
    @Override
    public boolean hasRoom() {
        return queue.hasRoom();
    }

    /** @return completes when the queue has room (at once if it has now); exceptionally if the channel closes */
    @Override
    public CompletionStage<Void> whenWritable() {
        return queue.whenWritable();
    }

    @Override
    public boolean hasRoom(int bytes) {
        return queue.hasRoom(bytes);
    }

    @Override
    public CompletionStage<Void> whenWritable(int bytes) {
        return queue.whenWritable(bytes);
    }

    /**
     * Sends a frame without waiting for the network (SPEC section 3.2).
     *
     * <p>Connected or connecting: the frame is queued for the writer; the stage is already complete
     * and means "queued for best-effort delivery", not "written". Reconnecting: the frame goes over
     * the per-message path and the stage completes when that stream has taken it.
     *
     * @param frame the frame
     * @return completed stage, or failed with {@link BackpressureException} when the queue is full
     *     (nothing was queued) or {@link PeatException} when the channel is closed
     */
    @Override
    public CompletionStage<Void> send(Frame frame) {
        ChannelState s = state();
        if (s == ChannelState.CLOSED) {
            return CompletableFuture.failedFuture(new PeatException("sync channel to " + peer + " is closed"));
        }
        if (s == ChannelState.CLOSED_BY_PEER) {
            return CompletableFuture.failedFuture(new PeatException("peer " + peer + " closed its node (close code GOING_AWAY);"
                    + " nothing is sent to it until it connects again or this node redials it"));
        }
        if (s == ChannelState.RECONNECTING) {
            return owner.sendPerMessage(peer, frame);
        }
        if (!queue.offer(EncodedFrame.of(frame))) {
            return CompletableFuture.failedFuture(new BackpressureException(peer, "send queue full (" + queue.describe() + ")"));
        }
        kick();
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Marks the channel failed on behalf of the reader or writer of one incarnation (SPEC 3.5).
     * Applies only when {@code fromGeneration} is the current generation and the channel is
     * connected: a stale task from an older stream changes nothing.
     *
     * @param fromGeneration the generation the failing task was started with
     * @param cause why it failed
     * @return true when the channel moved to {@link ChannelState#RECONNECTING} (or to {@link ChannelState#CLOSED_BY_PEER}
     *     when the cause is the peer's goodbye, close code GOING_AWAY); false for a stale
     *     generation or a channel that was not connected
     */
    public boolean markFailed(long fromGeneration, Throwable cause) {
        // A peer that said goodbye (close code GOING_AWAY) is not reconnected to: straight to CLOSED_BY_PEER.
        boolean goodbye = cause instanceof ConnectionClosedException cce && cce.reason() != null && cce.reason().isPeerGoingAway();
        ChannelState to = goodbye ? ChannelState.CLOSED_BY_PEER : ChannelState.RECONNECTING;
        PeerConnection lostOn;
        long gen;
        Incarnation held;
        synchronized (lock) {
            if (fromGeneration != generation || state != ChannelState.CONNECTED) {
                LOG.debug("stale failure from generation {} ignored on channel to {} (generation {}, {})", fromGeneration, peer,
                        generation, state);
                return false;
            }
            state = to;
            gen = ++generation;
            lostOn = current.stream.connection();
            current = null;
            held = finHeld;
            finHeld = null;
        }
        if (held != null) {
            held.drain();
        }
        dropRegenerated();
        if (goodbye) {
            LOG.info("peer {} closed its node ({}); its channel waits for it to come back", peer, cause.getMessage());
        } else {
            counters.reconnects.incrementAndGet();
            LOG.info("sync channel to {} lost its stream ({}); reconnecting", peer, cause.toString());
        }
        owner.onStateChanged(this, ChannelState.CONNECTED, to, gen, goodbye ? ((ConnectionClosedException) cause).reason().toString()
                : cause.toString());
        owner.onFailed(this, cause, lostOn);
        return true;
    }

    /**
     * The peer closed its node on purpose (SPEC 3.11): the channel stops sending and is not redialed
     * at once. Applies when the channel is reconnecting or connecting, or connected on {@code on}.
     *
     * @param on the connection the peer closed
     * @param reason the close reason, for people
     * @return true when the channel moved to {@link ChannelState#CLOSED_BY_PEER}
     */
    boolean peerClosed(PeerConnection on, String reason) {
        ChannelState from;
        long gen;
        Incarnation held;
        synchronized (lock) {
            boolean connectedThere = state == ChannelState.CONNECTED && current.stream.connection() == on;
            if (!connectedThere && state != ChannelState.RECONNECTING && state != ChannelState.CONNECTING) {
                return false;
            }
            from = state;
            state = ChannelState.CLOSED_BY_PEER;
            gen = ++generation;
            current = null;
            held = finHeld;
            finHeld = null;
        }
        if (held != null) {
            held.drain();
        }
        dropRegenerated();
        LOG.info("peer {} closed its node ({}); its channel waits for it to come back", peer, reason);
        owner.onStateChanged(this, from, ChannelState.CLOSED_BY_PEER, gen, reason);
        return true;
    }

    private void dropRegenerated() {
        int n = queue.dropRegenerated();
        if (n > 0) {
            LOG.debug("dropped {} queued sync messages to {}: they are made again from the reset sync states", n, peer);
        }
    }

    /**
     * Result of {@link #attach} and {@link #offer}: the new generation (-1 when the stream was not
     * taken) and whether it replaces an earlier stream.
     */
    record Attached(long generation, boolean replacesStream) {
        static final Attached REFUSED = new Attached(-1, false);

        /** @return whether the stream became the channel's */
        boolean adopted() {
            return generation >= 0;
        }
    }

    /**
     * Attaches a stream as the channel's persistent stream, starting a new incarnation.
     *
     * @return the new incarnation's generation (-1 when the channel is closed) and whether it
     *     replaces an earlier stream (failed, or still believed alive: either way what was written
     *     on it may be lost)
     */
    Attached attach(ByteStream stream, boolean sendOpener) {
        Incarnation[] replaced = new Incarnation[2];
        ChannelState[] from = new ChannelState[1];
        Attached a;
        synchronized (lock) {
            from[0] = state;
            a = state == ChannelState.CLOSED ? Attached.REFUSED : attachLocked(stream, sendOpener, replaced);
        }
        afterAttach(a, replaced, from[0]);
        return a;
    }

    /**
     * Offers a new stream to the channel: the adoption rule ({@link StreamAdoption}) decides, under
     * the channel's lock, whether it becomes the persistent stream, and attaches it if so. Nothing is
     * called out while the lock is held.
     *
     * @param stream the new stream
     * @param outbound whether this side opened it (it then starts with the opener frame)
     * @param localPeer this node's id, for the tie-break
     * @return the attachment, or {@link Attached#REFUSED} when the rule keeps the current stream
     */
    Attached offer(ByteStream stream, boolean outbound, PeerId localPeer) {
        Incarnation[] replaced = new Incarnation[2];
        ChannelState from;
        Attached a;
        synchronized (lock) {
            from = state;
            ByteStream cur = current == null ? null : current.stream;
            StreamAdoption.Facts facts = new StreamAdoption.Facts(state, cur != null, cur != null && cur.connection().isOpen(),
                    cur != null && cur.isLocallyInitiated(), cur != null && cur.connection() == stream.connection());
            a = StreamAdoption.adopt(outbound, facts, peer.compareTo(localPeer) < 0)
                    ? attachLocked(stream, true, replaced) : Attached.REFUSED;
        }
        afterAttach(a, replaced, from);
        return a;
    }

    // Holds lock. replaced[0]: the incarnation this one replaces; replaced[1]: an earlier one whose FIN was held.
    private Attached attachLocked(ByteStream stream, boolean sendOpener, Incarnation[] replaced) {
        replaced[0] = current;
        replaced[1] = finHeld;
        finHeld = null;
        // Not only after a failure this side saw: a peer that redials while this side still thinks the old
        // connection alive (it died silently) replaces a stream whose last writes are lost. A stream that
        // carried only openers (a simultaneous open settling) lost nothing.
        boolean replacesStream = everLive;
        generation++;
        state = ChannelState.CONNECTED;
        current = new Incarnation(generation, stream, sendOpener);
        if (current.settled) {
            everLive = true;
            completeLiveWaitersLocked();
        } else if (replaced[0] != null && replaced[0].settled) {
            finHeld = replaced[0];
        }
        return new Attached(generation, replacesStream);
    }

    private void afterAttach(Attached a, Incarnation[] replaced, ChannelState from) {
        if (!a.adopted()) {
            return;
        }
        if (a.replacesStream()) {
            dropRegenerated();
        }
        for (Incarnation r : replaced) {
            if (r != null) {
                // An idle writer of a replaced stream would never notice it is stale: wake it so it finishes
                // its stream (after its last write, if one is in flight; once its replacement settles, if
                // its FIN is held) and the peer's reader ends.
                r.drain();
            }
        }
        owner.onStateChanged(this, from, ChannelState.CONNECTED, a.generation(), "stream attached");
        Incarnation inc = currentIfGeneration(a.generation());
        if (inc != null && inc.settled) {
            owner.onSettled(this, inc.stream);
        }
        kick();
    }

    /**
     * The peer's first bytes arrived on the stream of {@code fromGeneration} (or its settle timeout
     * passed): the peer adopted it, so the writer may go on past the opener.
     *
     * @param fromGeneration the generation of the stream
     * @return true when this settled the current stream
     */
    boolean settle(long fromGeneration) {
        Incarnation inc;
        Incarnation held;
        synchronized (lock) {
            inc = current;
            if (inc == null || inc.generation != fromGeneration || inc.settled) {
                return false;
            }
            inc.settled = true;
            everLive = true;
            completeLiveWaitersLocked();
            held = finHeld;
            finHeld = null;
        }
        if (held != null) {
            held.drain(); // the replacement is adopted: the old stream's FIN goes now
        }
        owner.onSettled(this, inc.stream);
        inc.drain();
        return true;
    }

    /** @return whether the current stream is settled: the peer adopted it */
    boolean isLive() {
        synchronized (lock) {
            return current != null && current.settled;
        }
    }

    /**
     * @return completes when the channel has a settled stream (at once if it has now); exceptionally
     *     with {@link PeatException} when the channel closes first
     */
    CompletableFuture<Void> whenLive() {
        synchronized (lock) {
            if (current != null && current.settled) {
                return CompletableFuture.completedFuture(null);
            }
            if (state == ChannelState.CLOSED) {
                return CompletableFuture.failedFuture(new PeatException("sync channel to " + peer + " is closed"));
            }
            CompletableFuture<Void> f = new CompletableFuture<>();
            liveWaiters.add(f);
            return f;
        }
    }

    // Holds lock. Completing runs dependants; callers of whenLive only chain non-blocking steps.
    private void completeLiveWaitersLocked() {
        if (liveWaiters.isEmpty()) {
            return;
        }
        List<CompletableFuture<Void>> wake = List.copyOf(liveWaiters);
        liveWaiters.clear();
        CompletableFuture.runAsync(() -> wake.forEach(w -> w.complete(null)));
    }

    private Incarnation currentIfGeneration(long gen) {
        synchronized (lock) {
            return current != null && current.generation == gen ? current : null;
        }
    }

    /**
     * @return nanoTime of the last write on the current stream (or of its attach), or -1 when there
     *     is no settled stream
     */
    long lastWriteNanos() {
        synchronized (lock) {
            return current != null && current.settled ? current.lastWriteNanos : -1;
        }
    }

    /**
     * Queues a heartbeat (an empty SyncBatch) when the current stream is settled and nothing was
     * written on it, or is waiting to be, for {@code intervalNanos} (SPEC section 5).
     *
     * @param nowNanos the time now
     * @param intervalNanos the heartbeat interval
     * @return whether a heartbeat was queued
     */
    boolean heartbeatIfIdle(long nowNanos, long intervalNanos) {
        long last = lastWriteNanos();
        if (last < 0 || nowNanos - last < intervalNanos || !queue.isEmpty() || !queue.offer(openerFrame())) {
            return false;
        }
        kick();
        return true;
    }

    /** @return the current stream, if any */
    Optional<ByteStream> currentStream() {
        synchronized (lock) {
            return current == null ? Optional.empty() : Optional.of(current.stream);
        }
    }

    /**
     * @param localPeer this node's id
     * @return who opened the current persistent stream (this node or the peer), if connected; both
     *     ends of a channel agree on it once the tie-break rule has settled
     */
    @Override
    public java.util.Optional<PeerId> currentStreamOpener(PeerId localPeer) {
        synchronized (lock) {
            return current == null ? java.util.Optional.empty()
                    : java.util.Optional.of(current.stream.isLocallyInitiated() ? localPeer : peer);
        }
    }

    /** Closes for good: drops the queue, finishes the current stream. Idempotent. */
    void close(String reason) {
        Incarnation inc;
        Incarnation held;
        ChannelState from;
        long gen;
        List<CompletableFuture<Void>> waiters;
        synchronized (lock) {
            if (state == ChannelState.CLOSED) {
                return;
            }
            from = state;
            state = ChannelState.CLOSED;
            gen = ++generation;
            inc = current;
            current = null;
            held = finHeld;
            finHeld = null;
            waiters = List.copyOf(liveWaiters);
            liveWaiters.clear();
        }
        PeatException closed = new PeatException("sync channel to " + peer + " closed: " + reason);
        queue.clear(closed);
        waiters.forEach(w -> w.completeExceptionally(closed));
        if (inc != null) {
            inc.stream.finish();
        }
        if (held != null) {
            held.stream.finish();
        }
        owner.onStateChanged(this, from, ChannelState.CLOSED, gen, reason);
    }

    private void kick() {
        Incarnation inc;
        synchronized (lock) {
            inc = current;
        }
        if (inc != null) {
            inc.drain();
        }
    }

    private boolean isFinHeld(Incarnation inc) {
        synchronized (lock) {
            return finHeld == inc;
        }
    }

    private boolean isCurrent(Incarnation inc) {
        synchronized (lock) {
            return current == inc && state == ChannelState.CONNECTED;
        }
    }

    /** One stream's writer. At most one drain loop runs at a time (the draining flag). */
    private final class Incarnation {
        final long generation;
        final ByteStream stream;
        final AtomicBoolean draining = new AtomicBoolean();
        /**
         * Whether the peer adopted the stream: true at once for a stream the peer opened; for one this
         * side opened, when the peer's first bytes arrive on it. Until then only the opener is written,
         * so nothing large goes onto a stream the adoption rule may drop. Written under the channel's lock.
         */
        volatile boolean settled;
        volatile long lastWriteNanos = System.nanoTime();
        // Confined to the drain loop.
        private EncodedFrame opener;

        Incarnation(long generation, ByteStream stream, boolean sendOpener) {
            this.generation = generation;
            this.stream = stream;
            this.opener = sendOpener ? openerFrame() : null;
            this.settled = !stream.isLocallyInitiated();
        }

        void drain() {
            if (!draining.compareAndSet(false, true)) {
                return;
            }
            step();
        }

        /** Writes frames until the queue is empty or a write is pending; iterative so a synchronous transport cannot recurse. */
        private void step() {
            while (true) {
                if (!isCurrent(this)) {
                    if (isFinHeld(this)) {
                        // Its replacement has not settled: the FIN waits (the release drains again).
                        draining.set(false);
                        if (!isFinHeld(this) && draining.compareAndSet(false, true)) {
                            continue;
                        }
                        return;
                    }
                    // Stale incarnation: end our half of the old stream quietly; never touch channel state.
                    LOG.debug("stale writer of generation {} finishes stream {} to {}", generation, stream.id(), peer);
                    draining.set(false);
                    stream.finish();
                    return;
                }
                if (opener == null && !settled) {
                    // Only the opener goes before the peer has adopted the stream; settle() drains again.
                    draining.set(false);
                    if (settled && draining.compareAndSet(false, true)) {
                        continue;
                    }
                    return;
                }
                EncodedFrame f = opener != null ? opener : queue.poll();
                boolean isOpener = opener != null;
                opener = null;
                if (f == null) {
                    draining.set(false);
                    if (!queue.isEmpty() && draining.compareAndSet(false, true)) {
                        continue;
                    }
                    return;
                }
                CompletableFuture<Void> w = stream.write(f.buffer()).toCompletableFuture();
                if (w.isDone() && !w.isCompletedExceptionally()) {
                    wrote(f);
                    continue;
                }
                w.whenComplete((v, e) -> {
                    if (e != null) {
                        failed(f, isOpener, e);
                    } else {
                        wrote(f);
                        step();
                    }
                });
                return;
            }
        }

        private void wrote(EncodedFrame f) {
            counters.bytesSent.addAndGet(f.bytes().length);
            counters.framesSent.incrementAndGet(f.typeCode());
            lastWriteNanos = System.nanoTime();
        }

        private void failed(EncodedFrame f, boolean isOpener, Throwable e) {
            if (!isOpener && !SendQueue.isRegenerated(f)) {
                // At-least-once: the frame may be torn on the dead stream; the next stream carries it whole.
                // Sync messages are not put back: the reset sync states make what is still missing again.
                queue.pushFront(f);
            }
            draining.set(false);
            if (!markFailed(generation, CompletionCauses.unwrap(e))) {
                // A stale incarnation failed after a newer stream took over: the frame it put back
                // must not wait for an unrelated send, so wake the current writer.
                kick();
            }
        }
    }

    /**
     * The first frame on a stream this side opens, and the first on a stream it adopts from the peer:
     * an empty SyncBatch. QUIC reveals a stream to the peer only with its first byte, so this lets
     * the peer adopt the stream (and reuse its send half) at once even when this side has nothing
     * else to say; written back on an adopted stream, it tells the opener its stream was adopted
     * (settled). Also the heartbeat of an idle stream. Any v2 reader applies it as a batch of zero
     * entries.
     */
    static EncodedFrame openerFrame() {
        SyncBatch empty = new SyncBatch(ThreadLocalRandom.current().nextLong(), System.currentTimeMillis(), SyncBatch.DEFAULT_TTL,
                List.of());
        return EncodedFrame.of(empty.toFrame());
    }

    @Override
    public String toString() {
        return "SyncChannel[" + peer + ", " + state() + ", generation " + generation() + ", " + queue.describe() + "]";
    }

}
