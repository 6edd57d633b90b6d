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
}
