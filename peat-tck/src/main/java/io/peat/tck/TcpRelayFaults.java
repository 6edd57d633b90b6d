package io.peat.tck;

import io.peat.tck.UdpFaultRelay.Direction;
import java.net.InetSocketAddress;

/**
 * The kit's way to break connections of a TCP transport that cannot do it on command: a
 * {@link TcpFaultRelay} in front of every endpoint that is dialed. A fixture returns
 * {@link #dialAddress} from {@link TransportFixture#dialAddress} and this object from
 * {@link TransportFixture#faults()}, and closes it when the test ends:
 *
 * <pre>{@code
 * private final TcpRelayFaults relays = new TcpRelayFaults();
 * public PeerAddress dialAddress(PeerId peer, PeerAddress bound) { return relays.dialAddress(peer, bound); }
 * public Optional<FaultInjector> faults() { return Optional.of(relays); }
 * public void close() { relays.close(); }
 * }</pre>
 *
 * <p>Addresses are {@code host:port} (IPv6 as {@code [::1]:port}); {@code dialAddress} throws
 * {@link io.peat.spi.ConfigException} for any other. A killed connection is reset at both ends
 * (their sockets see a connection reset at once), with no close handshake of the transport.
 * Thread-safe; the faults are called on the test thread. {@link #close()} stops every relay and
 * waits a bounded time for its threads.
 */
public final class TcpRelayFaults extends RelayFaults<TcpFaultRelay> {

    /** Starts no relay yet: each starts on the first {@link #dialAddress} for its peer. */
    public TcpRelayFaults() {
        // relays start on demand
    }

    @Override
    TcpFaultRelay start(InetSocketAddress target) {
        return TcpFaultRelay.start(target);
    }

    @Override
    int port(TcpFaultRelay relay) {
        return relay.address().getPort();
    }

    @Override
    void kill(TcpFaultRelay relay) {
        relay.killSessions();
    }

    @Override
    void silence(TcpFaultRelay relay) {
        relay.silenceSessions();
    }

    @Override
    void killAfter(TcpFaultRelay relay, Direction direction, long bytes) {
        relay.killSessionsAfterBytes(direction, bytes);
    }

    @Override
    void stop(TcpFaultRelay relay) {
        relay.close();
    }

    @Override
    public String toString() {
        return "TcpRelayFaults (a loopback TCP relay in front of each dialed endpoint)";
    }
}
