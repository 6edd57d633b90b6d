package io.peat.spi;

import java.util.Objects;

/**
 * Where a node listens, in the syntax of its transport: {@code host:port} for network transports,
 * a name for the in-memory one. Immutable. The transport parses it when it is used: a
 * {@link SyncTransport#listen} or {@link SyncTransport#connect} given an address the transport cannot
 * parse returns a stage that fails with a {@link ConfigException} naming the address and the expected
 * syntax; neither method throws for it (kit clause T2.8).
 *
 * @param value the address text, never blank
 */
public record PeerAddress(String value) {

    /**
     * @throws IllegalArgumentException when the value is blank
     * @param value the address text
     */
    public PeerAddress {
        Objects.requireNonNull(value, "value");
        if (value.isBlank()) {
            throw new IllegalArgumentException("peer address must not be blank");
        }
    }

    /**
     * @param value the address text
     * @return the address
     */
    public static PeerAddress of(String value) {
        return new PeerAddress(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
