package io.peat.tck;

import io.peat.spi.ConfigException;
import io.peat.spi.PeerAddress;
import io.peat.spi.PeerId;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The kit's way to break connections of a UDP (QUIC) transport that cannot do it on command: a
 * {@link UdpFaultRelay} in front of every endpoint that is dialed. A fixture returns
 * {@link #dialAddress} from {@link TransportFixture#dialAddress} and this object from
 * {@link TransportFixture#faults()}, and closes it when the test ends:
 *
 * <pre>{@code
 * private final UdpRelayFaults relays = new UdpRelayFaults();
 * public PeerAddress dialAddress(PeerId peer, PeerAddress bound) { return relays.dialAddress(peer, bound); }
 * public Optional<FaultInjector> faults() { return Optional.of(relays); }
 * public void close() { relays.close(); }
 * }</pre>
 *
 * <p>Addresses are {@code host:port} (IPv6 as {@code [::1]:port}). Thread-safe.
 */
public final class UdpRelayFaults implements FaultInjector, AutoCloseable {
    private final Map<PeerId, UdpFaultRelay> relays = new ConcurrentHashMap<>();

    /**
     * @param peer the endpoint's peer id
     * @param bound the UDP address it listens at, {@code host:port}
     * @return the address of the relay in front of it (started on first use)
     * @throws ConfigException when the address is not {@code host:port}
     */
    public PeerAddress dialAddress(PeerId peer, PeerAddress bound) {
        UdpFaultRelay relay = relays.computeIfAbsent(peer, p -> UdpFaultRelay.start(parse(bound)));
        return PeerAddress.of("127.0.0.1:" + relay.address().getPort());
    }

    @Override
    public void killConnections(PeerId a, PeerId b) {
        for (PeerId p : new PeerId[] {a, b}) {
            UdpFaultRelay r = relays.get(p);
            if (r != null) {
                r.killSessions();
            }
        }
    }

    /** The relay's kill is already a black hole (no close, no reset): the same. */
    @Override
    public void silenceConnections(PeerId a, PeerId b) {
        killConnections(a, b);
    }

    @Override
    public void killConnectionsAfterBytes(PeerId from, PeerId to, long bytes) {
        UdpFaultRelay inFrontOfReceiver = relays.get(to);
        if (inFrontOfReceiver != null) {
            inFrontOfReceiver.killSessionsAfterBytes(UdpFaultRelay.Direction.TO_TARGET, bytes);
            return;
        }
        UdpFaultRelay inFrontOfSender = relays.get(from);
        if (inFrontOfSender == null) {
            throw new IllegalStateException("no relay between " + from + " and " + to + ": dial through dialAddress(...) first");
        }
        inFrontOfSender.killSessionsAfterBytes(UdpFaultRelay.Direction.FROM_TARGET, bytes);
    }

    @Override
    public String toString() {
        return "UdpRelayFaults (a loopback UDP relay in front of each dialed endpoint)";
    }

    /** Stops every relay. */
    @Override
    public void close() {
        relays.values().forEach(UdpFaultRelay::close);
        relays.clear();
    }

    static InetSocketAddress parse(PeerAddress address) {
        String v = address.value();
        int colon = v.lastIndexOf(':');
        if (colon <= 0) {
            throw new ConfigException("address '" + v + "' is not host:port");
        }
        String host = v.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            return new InetSocketAddress(host, Integer.parseInt(v.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("address '" + v + "' is not host:port with a port 0..65535");
        }
    }
}
