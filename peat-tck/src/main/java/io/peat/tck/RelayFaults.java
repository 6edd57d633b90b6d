package io.peat.tck;

import io.peat.spi.ConfigException;
import io.peat.spi.PeerAddress;
import io.peat.spi.PeerId;
import io.peat.tck.UdpFaultRelay.Direction;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link FaultInjector} that puts a loopback relay in front of every endpoint that is dialed:
 * {@link UdpRelayFaults} for UDP transports, {@link TcpRelayFaults} for TCP ones. It promises one
 * relay per peer, started on the first {@link #dialAddress} for that peer, and that a fault goes
 * through the relay in front of the receiving peer when there is one. Thread-safe: the faults are
 * called on the test thread, relays run on threads of their own until {@link #close()}.
 *
 * @param <R> the relay type
 */
public abstract sealed class RelayFaults<R> implements FaultInjector, AutoCloseable permits UdpRelayFaults, TcpRelayFaults {
    private final Map<PeerId, R> relays = new ConcurrentHashMap<>();

    RelayFaults() {
        // only the kit's two kinds
    }

    /** @return a relay running in front of {@code target} */
    abstract R start(InetSocketAddress target);

    /** @return the loopback port the relay accepts on */
    abstract int port(R relay);

    /** Breaks every connection through the relay now. */
    abstract void kill(R relay);

    /** Black-holes every connection through the relay now: nothing passes, nobody is told. */
    abstract void silence(R relay);

    /** Arms the relay's one-shot kill after {@code bytes} more bytes in {@code direction}. */
    abstract void killAfter(R relay, Direction direction, long bytes);

    /** Stops the relay and its threads. */
    abstract void stop(R relay);

    /**
     * @param peer the endpoint's peer id
     * @param bound the address it listens at, {@code host:port}
     * @return the address of the relay in front of it (started on first use)
     * @throws ConfigException when the address is not {@code host:port}
     */
    public PeerAddress dialAddress(PeerId peer, PeerAddress bound) {
        R relay = relays.computeIfAbsent(peer, p -> start(RelaySockets.parseHostPort(bound)));
        return PeerAddress.of("127.0.0.1:" + port(relay));
    }

    @Override
    public void killConnections(PeerId a, PeerId b) {
        for (PeerId p : new PeerId[] {a, b}) {
            R r = relays.get(p);
            if (r != null) {
                kill(r);
            }
        }
    }

    @Override
    public void silenceConnections(PeerId a, PeerId b) {
        for (PeerId p : new PeerId[] {a, b}) {
            R r = relays.get(p);
            if (r != null) {
                silence(r);
            }
        }
    }

    /**
     * Counts on the relay in front of {@code to} when there is one (bytes toward it), else on the
     * one in front of {@code from} (bytes coming back from it).
     *
     * @throws IllegalStateException when neither peer was dialed through {@link #dialAddress}
     */
    @Override
    public void killConnectionsAfterBytes(PeerId from, PeerId to, long bytes) {
        R inFrontOfReceiver = relays.get(to);
        if (inFrontOfReceiver != null) {
            killAfter(inFrontOfReceiver, Direction.TO_TARGET, bytes);
            return;
        }
        R inFrontOfSender = relays.get(from);
        if (inFrontOfSender == null) {
            throw new IllegalStateException("no relay between " + from + " and " + to + ": dial through dialAddress(...) first");
        }
        killAfter(inFrontOfSender, Direction.FROM_TARGET, bytes);
    }

    /** Stops every relay, waiting a bounded time for each one's threads. */
    @Override
    public void close() {
        relays.values().forEach(this::stop);
        relays.clear();
    }
}
