package io.peat.sync.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * One decoded v2 frame: document key, message type byte and payload. Immutable once built; the
 * payload array is not copied, so callers must not modify it after construction.
 *
 * @param docKey the document key (1..65535 UTF-8 bytes)
 * @param typeCode the {@code msg_type} byte, 0..255 (unknown codes are allowed here)
 * @param payload the payload bytes
 */
public record Frame(String docKey, int typeCode, byte[] payload) {

    /** Validates the key length and the type byte. */
    public Frame {
        Objects.requireNonNull(docKey, "docKey");
        Objects.requireNonNull(payload, "payload");
        int keyLen = docKey.getBytes(StandardCharsets.UTF_8).length;
        if (keyLen == 0 || keyLen > 0xFFFF) {
            throw new IllegalArgumentException("doc key must be 1..65535 UTF-8 bytes, got " + keyLen + " ('" + docKey + "')");
        }
        if (typeCode < 0 || typeCode > 0xFF) {
            throw new IllegalArgumentException("message type must be 0..255, got " + typeCode);
        }
    }

    /**
     * @param docKey the document key
     * @param type the message type
     * @param payload the payload (not copied)
     * @return the frame
     */
    public static Frame of(String docKey, MessageType type, byte[] payload) {
        return new Frame(docKey, type.code(), payload);
    }

    /** @return the known message type, or empty for an unknown code */
    public Optional<MessageType> type() {
        return MessageType.fromCode(typeCode);
    }

    /** @return the number of bytes this frame takes on the wire: 7 + key bytes + payload */
    public int encodedSize() {
        return FrameCodec.HEADER_OVERHEAD + docKey.getBytes(StandardCharsets.UTF_8).length + payload.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Frame f && f.typeCode == typeCode && f.docKey.equals(docKey) && Arrays.equals(f.payload, payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(docKey, typeCode, Arrays.hashCode(payload));
    }

    @Override
    public String toString() {
        return "Frame[" + docKey + ", type=0x" + Integer.toHexString(typeCode) + ", " + payload.length + " bytes]";
    }
}
