package io.peat.spi;

import java.util.Objects;

/**
 * Where a node listens, in the syntax of its transport: {@code host:port} for network transports,
 * a name for the in-memory one. Immutable. The transport parses it and fails with a
 * {@link ConfigException} naming the address when it cannot.
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
