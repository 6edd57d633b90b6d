package io.peat.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peat.spi.PeerAddress;
import io.peat.spi.PeerId;
import io.peat.spi.SyncTransport;
import io.peat.spi.SyncTransportProvider;
import io.peat.spi.TransportConfig;
import io.peat.spi.TransportListener;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InteropFixtureTest {

    /** A fixture that only names itself and counts its closes. */
    private static final class Named implements TransportFixture, AutoCloseable {
        final AtomicInteger closes = new AtomicInteger();
        final SyncTransportProvider provider;
        final Set<Capability> capabilities;

        Named(String name, Set<Capability> capabilities) {
            this.capabilities = capabilities;
            this.provider = new SyncTransportProvider() {
                @Override
                public String name() {
                    return name;
                }

                @Override
                public int priority() {
                    return 0;
                }

                @Override
                public boolean isAvailable() {
                    return true;
                }

                @Override
                public SyncTransport create(TransportConfig config, TransportListener listener) {
                    throw new UnsupportedOperationException();
                }
            };
        }

        @Override
        public SyncTransportProvider provider() {
            return provider;
        }

        @Override
        public TransportConfig config(String nodeName) {
            return TransportConfig.builder().property("side", provider.name()).build();
        }

        @Override
        public PeerAddress bindAddress(String nodeName) {
            return PeerAddress.of("127.0.0.1:0");
        }

        @Override
        public Optional<FaultInjector> faults() {
            return Optional.empty();
        }

        @Override
        public Set<Capability> capabilities() {
            return capabilities;
        }

        @Override
        public void close() {
            closes.incrementAndGet();
        }
    }

    @Test
    void nodesAlternateBetweenTheTwoTransportsInTheOrderTheyAreFirstNamed() throws Exception {
        Named a = new Named("x", Set.of());
        Named b = new Named("y", Set.of());
        try (InteropFixture f = new InteropFixture(a, b)) {
            assertEquals("x", f.provider("first").name());
            assertEquals("y", f.config("second").property("side").orElseThrow());
            assertEquals("x", f.provider("third").name());
            assertEquals("y", f.provider("fourth").name());
            // A name keeps its side however it is asked for again.
            assertEquals("x", f.config("first").property("side").orElseThrow());
            assertEquals("y", f.provider("second").name());
            assertSame(a, f.side("third"));
        }
    }

    @Test
    void capabilitiesAreThoseBothTransportsDeclare() throws Exception {
        Named a = new Named("x", Set.of(Capability.RESET_CODE_DELIVERED, Capability.CLOSE_REASON_DELIVERED));
        Named b = new Named("y", Set.of(Capability.CLOSE_REASON_DELIVERED));
        try (InteropFixture f = new InteropFixture(a, b)) {
            assertEquals(Set.of(Capability.CLOSE_REASON_DELIVERED), f.capabilities());
        }
    }

    @Test
    void closingClosesEachFixtureOnceEvenWhenBothSidesAreTheSameFixture() throws Exception {
        Named a = new Named("x", Set.of());
        Named b = new Named("y", Set.of());
        new InteropFixture(a, b).close();
        assertEquals(1, a.closes.get());
        assertEquals(1, b.closes.get());

        Named same = new Named("z", Set.of());
        new InteropFixture(same, same).close();
        assertEquals(1, same.closes.get());
    }

    @Test
    void everyEndpointIsDialedThroughTheKitsRelaySoFaultsCanCutIt() throws Exception {
        try (InteropFixture f = new InteropFixture(new Named("x", Set.of()), new Named("y", Set.of()))) {
            PeerAddress bound = PeerAddress.of("127.0.0.1:40000");
            PeerAddress dial = f.dialAddress(PeerId.of("peer-1"), bound);
            assertEquals("127.0.0.1", dial.value().substring(0, dial.value().lastIndexOf(':')));
            assertEquals(dial, f.dialAddress(PeerId.of("peer-1"), bound), "one relay per peer");
            assertNotEquals(bound, dial, "dialed directly, not through a relay");
            assertTrue(f.faults().isPresent());
        }
    }
}
