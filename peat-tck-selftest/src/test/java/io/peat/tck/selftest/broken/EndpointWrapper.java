package io.peat.tck.selftest.broken;

import io.peat.spi.ByteStream;
import io.peat.spi.PeerConnection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Wraps what one endpoint hands out with its {@link Breakage}: each connection once (so that a
 * stream's {@code connection()} is the very object the test holds), each stream once (so that a
 * breakage that counts writes counts them per stream). Thread-safe.
 */
final class EndpointWrapper {
    private final Breakage breakage;
    /** In-memory connection -> its wrapper; lives as long as the endpoint. */
    private final Map<PeerConnection, PeerConnection> connections = new ConcurrentHashMap<>();
    /** Connections wrapped so far, per remote peer. */
    private final Map<io.peat.spi.PeerId, java.util.concurrent.atomic.AtomicInteger> perPeer = new ConcurrentHashMap<>();

    EndpointWrapper(Breakage breakage) {
        this.breakage = breakage;
    }

    /**
     * @param delegate a connection of the in-memory endpoint
     * @return its wrapper, the same one every time
     */
    PeerConnection connection(PeerConnection delegate) {
        return connections.computeIfAbsent(delegate, d -> breakage.wrapConnection(d, this));
    }

    /** @return how this endpoint is broken */
    Breakage breakage() {
        return breakage;
    }

    /**
     * @param peer a remote peer
     * @return how many connections to it this endpoint has wrapped, this one included (call once per connection)
     */
    int nthConnectionTo(io.peat.spi.PeerId peer) {
        return perPeer.computeIfAbsent(peer, p -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
    }

    /**
     * @param delegate a stream of the in-memory endpoint, seen for the first time
     * @return its wrapper; call once per stream
     */
    ByteStream stream(ByteStream delegate) {
        return breakage.wrapStream(delegate, connection(delegate.connection()));
    }
}
