package io.peat.tck;

import io.peat.spi.PeerAddress;
import io.peat.spi.SyncTransportProvider;
import io.peat.spi.TransportConfig;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Two transports in one test: the first node a clause makes runs on transport A, the second on
 * transport B, and so on alternately. Every clause of the kit makes the node that dials (or the
 * backend under test, when a bare endpoint dials it) first, so A dials B in the two-backend clauses
 * and a bare endpoint of B dials a backend of A in the dispatch and malformed-frame clauses.
 *
 * <p>Both transports must take {@code host:port} UDP addresses (QUIC): as in any
 * {@link LoopbackUdpFixture}, every endpoint is dialed through the kit's {@link UdpRelayFaults},
 * which is also this fixture's {@link FaultInjector} (the two fixtures' own relays are not used);
 * each node binds where its own fixture says. Capabilities are those both fixtures declare. The
 * two fixtures are closed with this one when they are {@link AutoCloseable}.
 *
 * <p>Used on the JUnit test thread; the side map is thread-safe.
 */
public final class InteropFixture extends LoopbackUdpFixture {
    private final TransportFixture a;
    private final TransportFixture b;
    private final Map<String, TransportFixture> sides = new ConcurrentHashMap<>();

    /**
     * @param a the transport of the first node each clause makes
     * @param b the transport of the second
     */
    public InteropFixture(TransportFixture a, TransportFixture b) {
        this.a = a;
        this.b = b;
    }

    /**
     * @param nodeName a node name of the current test
     * @return the fixture that node runs on: A for the 1st, 3rd, ... name seen, B for the others
     */
    public TransportFixture side(String nodeName) {
        synchronized (sides) {
            return sides.computeIfAbsent(nodeName, n -> sides.size() % 2 == 0 ? a : b);
        }
    }

    /** @return transport A's provider; nodes get theirs from {@link #provider(String)} */
    @Override
    public SyncTransportProvider provider() {
        return a.provider();
    }

    @Override
    public SyncTransportProvider provider(String nodeName) {
        return side(nodeName).provider(nodeName);
    }

    @Override
    public TransportConfig config(String nodeName) {
        return side(nodeName).config(nodeName);
    }

    @Override
    public PeerAddress bindAddress(String nodeName) {
        return side(nodeName).bindAddress(nodeName);
    }

    @Override
    public Set<Capability> capabilities() {
        Set<Capability> both = EnumSet.noneOf(Capability.class);
        both.addAll(a.capabilities());
        both.retainAll(b.capabilities());
        return both;
    }

    /**
     * Stops the relays, then closes both fixtures; the first failure is rethrown (a checked one
     * wrapped in an {@link IllegalStateException}).
     */
    @Override
    public void close() {
        super.close();
        Exception first = null;
        for (TransportFixture f : a == b ? new TransportFixture[] {a} : new TransportFixture[] {a, b}) {
            if (f instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    first = first == null ? e : first;
                }
            }
        }
        if (first instanceof RuntimeException e) {
            throw e;
        }
        if (first != null) {
            throw new IllegalStateException("closing a fixture failed: " + first, first);
        }
    }

    @Override
    public String toString() {
        return "InteropFixture(A=" + a.provider().name() + ", B=" + b.provider().name() + ")";
    }
}
