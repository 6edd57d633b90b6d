package io.peat.tck;

import io.peat.tck.UdpFaultRelay.Direction;
import java.net.InetSocketAddress;

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
 * <p>Addresses are {@code host:port} (IPv6 as {@code [::1]:port}); {@code dialAddress} throws
 * {@link io.peat.spi.ConfigException} for any other. A killed connection is black-holed: its ends
 * learn of the loss by their idle timeout. Thread-safe; the faults are called on the test thread.
 */
public final class UdpRelayFaults extends RelayFaults<UdpFaultRelay> {

    /** Starts no relay yet: each starts on the first {@link #dialAddress} for its peer. */
    public UdpRelayFaults() {
        // relays start on demand
    }

    @Override
    UdpFaultRelay start(InetSocketAddress target) {
        return UdpFaultRelay.start(target);
    }


    @Override
    int port(UdpFaultRelay relay) {
        return relay.address().getPort();
    }

    @Override
    void kill(UdpFaultRelay relay) {
        relay.killSessions();
    }

    /** The UDP relay's kill is already a black hole (no close, no reset): the same. */
    @Override
    void silence(UdpFaultRelay relay) {
        relay.killSessions();
    }

    @Override
    void killAfter(UdpFaultRelay relay, Direction direction, long bytes) {
        relay.killSessionsAfterBytes(direction, bytes);
    }

    @Override
    void stop(UdpFaultRelay relay) {
        relay.close();
    }

    @Override
    public String toString() {
        return "UdpRelayFaults (a loopback UDP relay in front of each dialed endpoint)";
    }
}
