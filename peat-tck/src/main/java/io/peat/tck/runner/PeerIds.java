package io.peat.tck.runner;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Who names the nodes of the runner's generic {@link DiscoveredFixture} ({@code --peer-ids}).
 * Immutable; parsed on the runner's thread, read by each test's fixture on the JUnit test thread.
 */
public enum PeerIds {
    /**
     * The fixture: each node gets {@code name-<random>} as {@code TransportConfig.localPeerId}. For
     * transports that take the id they are given (no keys, or keys bound to a chosen id).
     */
    NAMED,
    /**
     * The transport: no local peer id is configured, and each endpoint reports the one it makes (for
     * example derived from a fresh key, as QUIC transports with certificate identities do, which
     * refuse a chosen id with a {@code ConfigException}).
     */
    TRANSPORT;

    /** @return the name on the command line: {@code named} or {@code transport} */
    public String optionValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return the option values, {@code named|transport} */
    public static String choices() {
        return Arrays.stream(values()).map(PeerIds::optionValue).collect(Collectors.joining("|"));
    }

    /**
     * @param value {@code named} or {@code transport}, any case
     * @return the choice it names
     * @throws IllegalArgumentException naming the value and the choices when it is neither
     */
    public static PeerIds parse(String value) {
        for (PeerIds p : values()) {
            if (p.optionValue().equalsIgnoreCase(value.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("'" + value + "' is not one of " + choices());
    }
}
