package io.peat.sync.wire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Encodes v2 frames, byte-exact with SPEC section 2:
 * {@code doc_key_len:u16 doc_key msg_type:u8 payload_len:u32 payload}, all big-endian.
 * Stateless and thread-safe. Decoding is {@link FrameDecoder}'s job.
 */
public final class FrameCodec {

    /** Bytes a frame adds around its key and payload: 2 + 1 + 4. */
    public static final int HEADER_OVERHEAD = 7;
    /** Default cap on a frame's payload: 16 MiB. */
    public static final int DEFAULT_MAX_PAYLOAD = 16 * 1024 * 1024;

    private FrameCodec() {
    }

    /**
     * @param frame the frame
     * @return a new heap buffer holding the encoded frame, positioned at 0
     */
    public static ByteBuffer encode(Frame frame) {
        byte[] key = frame.docKey().getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(HEADER_OVERHEAD + key.length + frame.payload().length);
        out.putShort((short) key.length).put(key).put((byte) frame.typeCode()).putInt(frame.payload().length).put(frame.payload());
        return out.flip();
    }

    /**
     * @param frame the frame
     * @return the encoded frame as a byte array
     */
    public static byte[] encodeToArray(Frame frame) {
        return encode(frame).array();
    }
}
