package io.peat.sync.internal.channel;

import io.peat.sync.ChannelState;
import io.peat.spi.ByteStream;
import io.peat.spi.PeatException;
import io.peat.spi.PeerId;
import io.peat.sync.BackpressureException;
import io.peat.sync.PeerChannel;
import io.peat.sync.wire.Frame;
import io.peat.sync.wire.SyncBatch;
import java.util.List;
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
    private boolean everConnected;

    /** What the channel needs from the manager that owns it. */
    interface ChannelOwner {
        CompletionStage<Void> sendPerMessage(PeerId peer, Frame frame);

        void onFailed(SyncChannel channel, Throwable cause);

        void onWritable(PeerId peer);
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
     * @return true when the channel moved to {@link ChannelState#RECONNECTING}; false for a stale
     *     generation or a channel that was not connected
     */
    public boolean markFailed(long fromGeneration, Throwable cause) {
        synchronized (lock) {
            if (fromGeneration != generation || state != ChannelState.CONNECTED) {
                LOG.debug("stale failure from generation {} ignored on channel to {} (generation {}, {})", fromGeneration, peer,
                        generation, state);
                return false;
            }
            state = ChannelState.RECONNECTING;
            generation++;
            current = null;
        }
        counters.reconnects.incrementAndGet();
        LOG.info("sync channel to {} lost its stream ({}); reconnecting", peer, cause.toString());
        owner.onFailed(this, cause);
        return true;
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
        Incarnation[] replaced = new Incarnation[1];
        Attached a;
        synchronized (lock) {
            a = state == ChannelState.CLOSED ? Attached.REFUSED : attachLocked(stream, sendOpener, replaced);
        }
        afterAttach(a, replaced[0]);
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
        Incarnation[] replaced = new Incarnation[1];
        Attached a;
        synchronized (lock) {
            ByteStream cur = current == null ? null : current.stream;
            StreamAdoption.Facts facts = new StreamAdoption.Facts(state, cur != null, cur != null && cur.connection().isOpen(),
                    cur != null && cur.isLocallyInitiated(), cur != null && cur.connection() == stream.connection());
            a = StreamAdoption.adopt(outbound, facts, peer.compareTo(localPeer) < 0)
                    ? attachLocked(stream, outbound, replaced) : Attached.REFUSED;
        }
        afterAttach(a, replaced[0]);
        return a;
    }

    // Holds lock.
    private Attached attachLocked(ByteStream stream, boolean sendOpener, Incarnation[] replaced) {
        replaced[0] = current;
        // Not only after a failure this side saw: a peer that redials while this side still thinks the old
        // connection alive (it died silently) replaces a stream whose last writes are lost.
        boolean replacesStream = everConnected;
        generation++;
        state = ChannelState.CONNECTED;
        everConnected = true;
        current = new Incarnation(generation, stream, sendOpener);
        return new Attached(generation, replacesStream);
    }

    private void afterAttach(Attached a, Incarnation replaced) {
        if (!a.adopted()) {
            return;
        }
        if (replaced != null) {
            // An idle writer of the replaced stream would never notice it is stale: wake it so it
            // finishes its stream (after its last write, if one is in flight) and the peer's reader ends.
            replaced.drain();
        }
        kick();
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
    void close() {
        Incarnation inc;
        synchronized (lock) {
            if (state == ChannelState.CLOSED) {
                return;
            }
            state = ChannelState.CLOSED;
            generation++;
            inc = current;
            current = null;
        }
        queue.clear(new PeatException("sync channel to " + peer + " closed"));
        if (inc != null) {
            inc.stream.finish();
        }
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
        // Confined to the drain loop.
        private EncodedFrame opener;

        Incarnation(long generation, ByteStream stream, boolean sendOpener) {
            this.generation = generation;
            this.stream = stream;
            this.opener = sendOpener ? openerFrame() : null;
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
                    // Stale incarnation: end our half of the old stream quietly; never touch channel state.
                    LOG.debug("stale writer of generation {} finishes stream {} to {}", generation, stream.id(), peer);
                    draining.set(false);
                    stream.finish();
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
        }

        private void failed(EncodedFrame f, boolean isOpener, Throwable e) {
            if (!isOpener) {
                // At-least-once: the frame may be torn on the dead stream; the next stream carries it whole.
                queue.pushFront(f);
            }
            draining.set(false);
            if (!markFailed(generation, StreamReader.unwrap(e))) {
                // A stale incarnation failed after a newer stream took over: the frame it put back
                // must not wait for an unrelated send, so wake the current writer.
                kick();
            }
        }
    }

    /**
     * The first frame on a stream this side opens: an empty SyncBatch. QUIC reveals a stream to
     * the peer only with its first byte, so this lets the peer adopt the stream (and reuse its send
     * half) at once even when this side has nothing else to say. Any v2 reader applies it as a
     * batch of zero entries.
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
