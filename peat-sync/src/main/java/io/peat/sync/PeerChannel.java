package io.peat.sync;

import io.peat.spi.PeerId;
import io.peat.sync.wire.Frame;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The one persistent sync channel to a peer (SPEC section 3), as applications and tools see it:
 * its state, its generation, its bounded send queue, and raw sends.
 *
 * <p>Threads: every method may be called from any thread and never blocks.
 */
public interface PeerChannel {
    /** @return the remote peer */
    PeerId peer();

    /** @return the current state */
    ChannelState state();

    /** @return the current generation; it grows at every stream attach and every failure (SPEC 3.5) */
    long generation();

    /** @return frames waiting in the send queue */
    int queueDepth();

    /** @return bytes waiting in the send queue */
    long queuedBytes();

    /** @return whether a send now would be queued rather than refused */
    boolean hasRoom();

    /**
     * Room for one byte: a frame may still be refused if it is larger than the room left. To retry a
     * refused frame, wait with {@link #whenWritable(int)} and the frame's size.
     *
     * @return completes when the queue has room (at once if it has now); exceptionally if the channel closes
     */
    CompletionStage<Void> whenWritable();

    /**
     * @param bytes a frame's encoded size ({@link Frame#encodedSize()})
     * @return whether a frame of that size would be queued now rather than refused
     */
    boolean hasRoom(int bytes);

    /**
     * The retry signal for a refused frame: completes only when a frame of {@code bytes} would be
     * taken (a frame larger than the queue's byte bound is taken by an empty queue), so a sender
     * that waits on it and retries does not spin on {@link BackpressureException}s.
     *
     * @param bytes a frame's encoded size ({@link Frame#encodedSize()})
     * @return completes when that many bytes fit (at once if they do now); exceptionally if the channel closes
     */
    CompletionStage<Void> whenWritable(int bytes);

    /**
     * Sends a frame without waiting for the network (SPEC section 3.2): queued while connected or
     * connecting, per message while reconnecting.
     *
     * @param frame the frame
     * @return completed when queued ("queued for best-effort delivery", not "written"), or when the
     *     per-message stream took it; failed with {@link BackpressureException} when the queue is
     *     full (nothing was queued) or {@link io.peat.spi.PeatException} when the channel is closed
     */
    CompletionStage<Void> send(Frame frame);

    /**
     * @param localPeer this node's id
     * @return who opened the current persistent stream (this node or the peer), if connected; both
     *     ends agree on it once the tie-break rule has settled
     */
    Optional<PeerId> currentStreamOpener(PeerId localPeer);
}
