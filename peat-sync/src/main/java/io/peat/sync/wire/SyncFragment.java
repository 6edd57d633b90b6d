package io.peat.sync.wire;

import io.peat.spi.ProtocolViolationException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * One piece of a frame whose payload is larger than the peer's cap (beyond upstream: SPEC section 2
 * caps a payload at 16 MiB by default, and one Automerge change can be larger). The pieces travel,
 * in order, on the persistent stream as frames of type {@link MessageType#SYNC_FRAGMENT} under the
 * whole frame's key; the receiver joins them and applies the whole frame.
 *
 * <pre>
 * payload := inner_type:u8  total_len:u32  offset:u32  bytes[payload_len - 9]
 * </pre>
 *
 * @param innerType the whole frame's {@code msg_type}
 * @param totalLength the whole payload's length
 * @param offset where {@code bytes} start in the whole payload
 * @param bytes this piece
 */
public record SyncFragment(int innerType, long totalLength, long offset, byte[] bytes) {
    /** Bytes of the header before each piece's bytes. */
    public static final int HEADER_BYTES = 9;

    /**
     * @param whole a frame
     * @param maxPayload the most payload bytes one fragment frame may carry (the peer's cap)
     * @return the fragment frames that carry it, in order
     * @throws IllegalArgumentException when {@code maxPayload} leaves no room for bytes
     */
    public static List<Frame> split(Frame whole, int maxPayload) {
        int room = maxPayload - HEADER_BYTES;
        if (room <= 0) {
            throw new IllegalArgumentException("a payload cap of " + maxPayload + " bytes leaves no room for a fragment's bytes");
        }
        byte[] p = whole.payload();
        List<Frame> out = new ArrayList<>(p.length / room + 1);
        for (int at = 0; at < p.length; at += room) {
            int n = Math.min(room, p.length - at);
            ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + n);
            b.put((byte) whole.typeCode()).putInt(p.length).putInt(at).put(p, at, n);
            out.add(Frame.of(whole.docKey(), MessageType.SYNC_FRAGMENT, b.array()));
        }
        return out;
    }

    /**
     * @param payload a SyncFragment frame's payload
     * @return the fragment
     * @throws ProtocolViolationException when it is shorter than its header, empty, or claims bytes
     *     beyond its total
     */
    public static SyncFragment decode(byte[] payload) {
        if (payload.length <= HEADER_BYTES) {
            throw new ProtocolViolationException("sync fragment of " + payload.length + " bytes: needs a " + HEADER_BYTES
                    + "-byte header and at least one byte");
        }
        ByteBuffer b = ByteBuffer.wrap(payload);
        int type = Byte.toUnsignedInt(b.get());
        long total = Integer.toUnsignedLong(b.getInt());
        long offset = Integer.toUnsignedLong(b.getInt());
        int n = payload.length - HEADER_BYTES;
        if (offset + n > total) {
            throw new ProtocolViolationException("sync fragment at offset " + offset + " with " + n + " bytes runs past its total of "
                    + total + " bytes");
        }
        byte[] bytes = new byte[n];
        b.get(bytes);
        return new SyncFragment(type, total, offset, bytes);
    }
}
