package io.peat.spi;

import java.util.Objects;

/**
 * The identity of a node, as verified by its transport. Immutable; safe to share between threads.
 *
 * <p>Peer ids are ordered by their string value; the sync layer uses that order to decide which of
 * two streams opened at once survives (the one opened by the lower id).
 *
 * <p>A transport carries every valid id exactly, whatever its length and characters (kit clause T2.9).
 *
 * @param value the id's text: 1 to 255 printable ASCII characters without spaces
 */
public record PeerId(String value) implements Comparable<PeerId> {

    /**
     * @throws IllegalArgumentException when the value is empty, too long or not printable ASCII
     * @param value the id text
     */
    public PeerId {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty() || value.length() > 255) {
            throw new IllegalArgumentException("peer id must be 1..255 characters, got " + value.length()
                    + " ('" + value + "')");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                throw new IllegalArgumentException("peer id must be printable ASCII without spaces, got '" + value
                        + "' (character " + i + ")");
            }
        }
    }

    /**
     * @param value the id's text
     * @return the peer id
     */
    public static PeerId of(String value) {
        return new PeerId(value);
    }

    @Override
    public int compareTo(PeerId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
