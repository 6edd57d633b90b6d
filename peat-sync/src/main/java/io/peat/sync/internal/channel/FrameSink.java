package io.peat.sync.internal.channel;

import io.peat.spi.PeerId;
import io.peat.sync.wire.Frame;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Where stream readers hand decoded frames: the single dispatch entry point shared by every
 * stream, inbound or outbound, persistent or one-shot (SPEC section 2). Called on transport
 * threads; must not block.
 */
public interface FrameSink {
    /**
     * @param from the peer that sent the frames
     * @param frames decoded frames, in stream order
     * @return completes when the frames are processed; the reader reads no further until then
     */
    CompletionStage<Void> onFrames(PeerId from, List<Frame> frames);

    /**
     * Frames read from the peer's persistent stream of one channel generation. Sync messages
     * (DeltaSync, SyncFragment) from a generation older than the last reset of the peer's sync states
     * ({@link ChannelListener#onChannelConnected} with {@code replacesStream}) were made by the peer
     * for states that no longer exist on this side, and the peer remakes them once it moves off that
     * stream: they must be dropped, or they are taken as the answer to the fresh states and the two
     * sides wait for each other. By default the same as {@link #onFrames}.
     *
     * @param from the peer that sent the frames
     * @param frames decoded frames, in stream order
     * @param generation the channel generation of the stream they were read from
     * @return completes when the frames are processed; the reader reads no further until then
     */
    default CompletionStage<Void> onPersistentFrames(PeerId from, List<Frame> frames, long generation) {
        return onFrames(from, frames);
    }
}
