package io.peat.sync.wire;

import io.peat.spi.ProtocolViolationException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Incremental decoder for a stream of back-to-back v2 frames. Bytes arrive in any chunking;
 * every complete frame is handed to the sink. The payload cap is checked on the header, before
 * anything is allocated for the payload, and the payload buffer grows with the bytes that actually
 * arrive (doubling, capped at the claimed length), never with the length the peer claims: a header
 * that promises 16 MiB and sends nothing more costs {@value #FIRST_BUFFER} bytes at most (SPEC 3.12).
 *
 * <p>Not thread-safe: one decoder per stream, used by that stream's reader only.
 */
public final class FrameDecoder {

    private static final int HEADER_KEY_LEN = 2;
    private static final int AFTER_KEY = 5;
    /** The payload buffer's first size; it doubles as bytes arrive, up to the frame's length. */
    static final int FIRST_BUFFER = 4096;

    private final String peer;
    private final int maxPayload;

    // Owned by the reader of one stream.
    private final ByteBuffer head = ByteBuffer.allocate(AFTER_KEY);
    private int keyLen = -1;
    private byte[] key;
    private int keyFilled;
    private int typeCode = -1;
    private byte[] payload;
    private int payloadLen;
    private int payloadFilled;

    /**
     * @param peer the remote peer, named in errors
     * @param maxPayload the largest payload accepted, in bytes
     */
    public FrameDecoder(String peer, int maxPayload) {
        if (maxPayload < 0) {
            throw new IllegalArgumentException("maxPayload must be >= 0, got " + maxPayload);
        }
        this.peer = peer;
        this.maxPayload = maxPayload;
        head.limit(HEADER_KEY_LEN);
    }

    /**
     * Consumes every byte of the chunk.
     *
     * @param chunk the next bytes from the stream
     * @param sink receives each complete frame, in order
     * @throws ProtocolViolationException for a zero-length key, a key that is not UTF-8, or a payload
     *     over the cap; the stream must then be reset
     */
    public void feed(ByteBuffer chunk, Consumer<Frame> sink) {
        while (chunk.hasRemaining()) {
            if (keyLen < 0) {
                if (fill(chunk) && !head.hasRemaining()) {
                    keyLen = Short.toUnsignedInt(head.getShort(0));
                    if (keyLen == 0) {
                        throw new ProtocolViolationException("peer " + peer + " sent a frame with doc_key_len 0; a key must be 1..65535 bytes");
                    }
                    key = new byte[keyLen];
                    keyFilled = 0;
                }
            } else if (keyFilled < keyLen) {
                int n = Math.min(chunk.remaining(), keyLen - keyFilled);
                chunk.get(key, keyFilled, n);
                keyFilled += n;
                if (keyFilled == keyLen) {
                    head.clear().limit(AFTER_KEY);
                }
            } else if (payload == null) {
                fill(chunk);
                if (!head.hasRemaining()) {
                    typeCode = Byte.toUnsignedInt(head.get(0));
                    long len = Integer.toUnsignedLong(head.getInt(1));
                    if (len > maxPayload) {
                        throw new ProtocolViolationException("peer " + peer + " sent a frame for '" + keyText() + "' with payload_len "
                                + len + ", over the limit of " + maxPayload + " bytes; raise SyncConfig.maxPayloadBytes if this is legitimate");
                    }
                    payloadLen = (int) len;
                    payload = new byte[Math.min(payloadLen, FIRST_BUFFER)];
                    payloadFilled = 0;
                    if (len == 0) {
                        emit(sink);
                    }
                }
            } else {
                int n = Math.min(chunk.remaining(), payloadLen - payloadFilled);
                if (payloadFilled + n > payload.length) {
                    // Grow with what arrived: at least double, never past the frame's length.
                    int size = (int) Math.min(payloadLen, Math.max(payloadFilled + (long) n, 2L * payload.length));
                    payload = java.util.Arrays.copyOf(payload, size);
                }
                chunk.get(payload, payloadFilled, n);
                payloadFilled += n;
                if (payloadFilled == payloadLen) {
                    emit(sink);
                }
            }
        }
    }

    /** @return bytes of the current partial payload held in memory (the buffer's size, not the claimed length) */
    public int bufferedPayloadBytes() {
        return payload == null ? 0 : payload.length;
    }

    /** @return true when the decoder holds part of a frame (a FIN now would be mid-frame) */
    public boolean isMidFrame() {
        return keyLen >= 0 || head.position() > 0;
    }

    private boolean fill(ByteBuffer chunk) {
        int n = Math.min(chunk.remaining(), head.remaining());
        for (int i = 0; i < n; i++) {
            head.put(chunk.get());
        }
        return true;
    }

    private void emit(Consumer<Frame> sink) {
        Frame frame = new Frame(keyText(), typeCode, payload);
        keyLen = -1;
        key = null;
        payload = null;
        typeCode = -1;
        head.clear().limit(HEADER_KEY_LEN);
        sink.accept(frame);
    }

    private String keyText() {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(key)).toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolViolationException("peer " + peer + " sent a doc_key of " + key.length + " bytes that is not valid UTF-8");
        }
    }
}
