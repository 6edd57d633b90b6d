package io.peat.sync.internal.channel;

import io.peat.sync.wire.Frame;
import io.peat.sync.wire.FrameCodec;
import java.nio.ByteBuffer;

/**
 * A frame encoded once, at enqueue time, so the writer only copies bytes. Immutable.
 *
 * @param typeCode the frame's msg_type byte
 * @param bytes the encoded frame
 */
record EncodedFrame(int typeCode, byte[] bytes) {
    static EncodedFrame of(Frame frame) {
        return new EncodedFrame(frame.typeCode(), FrameCodec.encodeToArray(frame));
    }

    /** @return a fresh buffer over the bytes, for one write */
    ByteBuffer buffer() {
        return ByteBuffer.wrap(bytes);
    }
}
