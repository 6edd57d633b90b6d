package io.peat.tck.runner;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What the runner puts in front of each endpoint of a transport whose addresses are
 * {@code host:port} ({@code --network}), and so which fault injector the fault clauses (S4) get.
 * Ignored for a transport that ships its own {@link TransportFixtureFactory} (the in-memory one does). Immutable; parsed on the
 * runner's thread, read by each test's {@link DiscoveredFixture} on the JUnit test thread.
 */
public enum Network {
    /** A loopback UDP relay ({@link io.peat.tck.UdpRelayFaults}): for QUIC and other UDP transports. */
    UDP,
    /** A loopback TCP relay ({@link io.peat.tck.TcpRelayFaults}): for TCP transports. */
    TCP,
    /** No relay and no fault injector: the fault clauses fail with the kit's message. */
    NONE;

    /** @return the name on the command line: {@code udp}, {@code tcp} or {@code none} */
    public String optionValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return the three option values, {@code udp|tcp|none} */
    public static String choices() {
        return Arrays.stream(values()).map(Network::optionValue).collect(Collectors.joining("|"));
    }

    /**
     * @param value {@code udp}, {@code tcp} or {@code none}, any case
     * @return the network it names
     * @throws IllegalArgumentException naming the value and the three choices when it is none of them
     */
    public static Network parse(String value) {
        for (Network n : values()) {
            if (n.optionValue().equalsIgnoreCase(value.trim())) {
                return n;
            }
        }
        throw new IllegalArgumentException("'" + value + "' is not one of " + choices());
    }

    /**
     * The runner's default: {@link #UDP} when the address pattern is {@code host:port}, else
     * {@link #NONE}. A transport with its own {@link TransportFixtureFactory} decides for itself.
     *
     * @param addressPattern the bind address pattern
     * @return the default network
     */
    public static Network defaultFor(String addressPattern) {
        return looksLikeHostPort(addressPattern) ? UDP : NONE;
    }

    /**
     * The runner's default for a provider that declares its network: the relay of that network
     * ({@link io.peat.spi.TransportNetwork#UDP} or {@link io.peat.spi.TransportNetwork#TCP}) when
     * the address pattern is {@code host:port}; {@link #NONE} for an in-process transport or other
     * addresses; {@link #defaultFor(String)} when the provider declares nothing.
     *
     * @param addressPattern the bind address pattern
     * @param declared what the provider's {@code network()} says
     * @return the default network
     */
    public static Network defaultFor(String addressPattern, io.peat.spi.TransportNetwork declared) {
        if (!looksLikeHostPort(addressPattern)) {
            return NONE;
        }
        return switch (declared) {
            case UDP -> UDP;
            case TCP -> TCP;
            case IN_PROCESS -> NONE;
            case OTHER -> defaultFor(addressPattern);
        };
    }

    /**
     * @param pattern an address or address pattern
     * @return whether it ends in {@code :digits} after a non-empty host
     */
    public static boolean looksLikeHostPort(String pattern) {
        int colon = pattern.lastIndexOf(':');
        return colon > 0 && colon < pattern.length() - 1 && pattern.substring(colon + 1).chars().allMatch(Character::isDigit);
    }
}
