package io.peat.sync.wire;

import io.peat.spi.ProtocolViolationException;

/**
 * Negentropy protocol V1 messages (hoytech/negentropy), as carried by NegentropyInit and
 * NegentropyResponse frames under key {@value #KEY}. This class checks the framing only; the
 * reconciliation itself belongs to the negentropy handler.
 */
public final class NegentropyMessage {
    /** The frame key negentropy messages carry. */
    public static final String KEY = "_negentropy";
    /** First byte of every V1 message. */
    public static final int PROTOCOL_V1 = 0x61;

    private NegentropyMessage() {
    }

    /**
     * @param payload a negentropy message
     * @return true when the message is only the version byte (reconciliation is done)
     * @throws ProtocolViolationException when empty or not V1
     */
    public static boolean checkV1(byte[] payload) {
        if (payload.length == 0 || Byte.toUnsignedInt(payload[0]) != PROTOCOL_V1) {
            throw new ProtocolViolationException("negentropy message must start with 0x61 (protocol V1), got "
                    + (payload.length == 0 ? "an empty payload" : String.format("0x%02x", payload[0] & 0xff)));
        }
        return payload.length == 1;
    }
}
