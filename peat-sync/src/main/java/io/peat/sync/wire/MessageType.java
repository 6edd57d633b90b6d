package io.peat.sync.wire;

import java.util.Optional;

/**
 * The {@code msg_type} byte of a v2 frame (SPEC section 2). Seven types are live (dispatched);
 * the others are known but reserved or informational, and are skipped by length.
 */
public enum MessageType {
    /** Automerge sync message. */
    DELTA_SYNC(0x00, true),
    /** Full document, Automerge {@code save()} bytes. */
    STATE_SNAPSHOT(0x01, true),
    /** Reserved; not dispatched. */
    WINDOWED_HISTORY(0x02, false),
    /** Reserved. */
    RESERVED_03(0x03, false),
    /** One tombstone record. */
    TOMBSTONE(0x04, true),
    /** {@code count:u32} then {@code len:u32 record} per item. */
    TOMBSTONE_BATCH(0x05, true),
    /** Informational; accepted and ignored. */
    TOMBSTONE_ACK(0x06, false),
    /** A batch of frame-shaped entries. */
    SYNC_BATCH(0x07, true),
    /** Negentropy V1 initial message. */
    NEGENTROPY_INIT(0x08, true),
    /** Negentropy V1 response. */
    NEGENTROPY_RESPONSE(0x09, true),
    /** Reserved, unused. */
    NEGENTROPY_REQUEST(0x0A, false),
    /**
     * Beyond upstream: one piece of a message larger than the payload cap ({@link SyncFragment}).
     * Upstream skips it as an unknown type.
     */
    SYNC_FRAGMENT(0x0B, true);

    private static final MessageType[] BY_CODE = new MessageType[256];

    static {
        for (MessageType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;
    private final boolean live;

    MessageType(int code, boolean live) {
        this.code = code;
        this.live = live;
    }

    /** @return the wire byte, 0..255 */
    public int code() {
        return code;
    }

    /** @return true for the types the dispatch table handles (SPEC's seven and {@link #SYNC_FRAGMENT}) */
    public boolean isLive() {
        return live;
    }

    /**
     * @param code a wire byte, 0..255
     * @return the known type with that code, or empty for an unknown code
     */
    public static Optional<MessageType> fromCode(int code) {
        return code >= 0 && code < 256 ? Optional.ofNullable(BY_CODE[code]) : Optional.empty();
    }
}
