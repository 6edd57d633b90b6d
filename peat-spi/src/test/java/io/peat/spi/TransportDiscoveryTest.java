package io.peat.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TransportDiscoveryTest {

    private String savedProperty;

    @BeforeEach
    void clearTransportProperty() {
        savedProperty = System.getProperty(TransportDiscovery.TRANSPORT_PROPERTY);
        System.clearProperty(TransportDiscovery.TRANSPORT_PROPERTY);
    }

    @AfterEach
    void restoreTransportProperty() {
        if (savedProperty == null) {
            System.clearProperty(TransportDiscovery.TRANSPORT_PROPERTY);
        } else {
            System.setProperty(TransportDiscovery.TRANSPORT_PROPERTY, savedProperty);
        }
    }

    private static TransportConfig noName() {
        return TransportConfig.builder().build();
    }

    private static TransportConfig named(String name) {
        return TransportConfig.builder().transportName(name).build();
    }

    @Test
    void explicitNameInConfigWinsOverHigherPriority() {
        Fake low = new Fake("low", 1, true);
        Fake high = new Fake("high", 10, true);

        assertSame(low, TransportDiscovery.select(named("low"), List.of(high, low)));
    }

    @Test
    void systemPropertyIsUsedWhenConfigNamesNoTransport() {
        Fake low = new Fake("low", 1, true);
        Fake high = new Fake("high", 10, true);
        try {
            System.setProperty(TransportDiscovery.TRANSPORT_PROPERTY, "low");
            assertSame(low, TransportDiscovery.select(noName(), List.of(high, low)));
        } finally {
            System.clearProperty(TransportDiscovery.TRANSPORT_PROPERTY);
        }
    }

    @Test
    void configNameWinsOverSystemProperty() {
        Fake a = new Fake("a", 1, true);
        Fake b = new Fake("b", 1, true);
        try {
            System.setProperty(TransportDiscovery.TRANSPORT_PROPERTY, "a");
            assertSame(b, TransportDiscovery.select(named("b"), List.of(a, b)));
        } finally {
            System.clearProperty(TransportDiscovery.TRANSPORT_PROPERTY);
        }
    }

    @Test
    void highestPriorityAvailableProviderWins() {
        Fake one = new Fake("one", 1, true);
        Fake seven = new Fake("seven", 7, true);
        Fake five = new Fake("five", 5, true);

        assertSame(seven, TransportDiscovery.select(noName(), List.of(one, seven, five)));
    }

    @Test
    void unavailableProviderIsNeverSelectedByPriority() {
        Fake best = new Fake("best", 100, false);
        Fake ok = new Fake("ok", 1, true);

        assertSame(ok, TransportDiscovery.select(noName(), List.of(best, ok)));
    }

    @Test
    void unavailableProviderIsNeverSelectedByName() {
        Fake off = new Fake("off", 100, false);
        Fake on = new Fake("on", 1, true);

        TransportNotFoundException e = assertThrows(TransportNotFoundException.class,
                () -> TransportDiscovery.select(named("off"), List.of(off, on)));
        assertEquals(List.of("on"), e.available());
    }

    @Test
    void providerWhoseNameThrowsIsSkippedAndOthersStillWork() {
        SyncTransportProvider broken = new Fake("broken", 100, true) {
            @Override
            public String name() {
                throw new IllegalStateException("name() exploded");
            }
        };
        Fake good = new Fake("good", 1, true);

        assertSame(good, TransportDiscovery.select(noName(), List.of(broken, good)));
        assertSame(good, TransportDiscovery.select(named("good"), List.of(broken, good)));
    }

    @Test
    void providerWhoseIsAvailableThrowsIsSkippedAndOthersStillWork() {
        SyncTransportProvider broken = new Fake("broken", 100, true) {
            @Override
            public boolean isAvailable() {
                throw new IllegalStateException("isAvailable() exploded");
            }
        };
        Fake good = new Fake("good", 1, true);

        assertSame(good, TransportDiscovery.select(noName(), List.of(broken, good)));
        TransportNotFoundException e = assertThrows(TransportNotFoundException.class,
                () -> TransportDiscovery.select(named("broken"), List.of(broken, good)));
        assertEquals(List.of("good"), e.available());
    }

    @Test
    void unknownNameThrowsListingTheAvailableNames() {
        Fake alpha = new Fake("alpha", 1, true);
        Fake beta = new Fake("beta", 2, true);
        Fake gamma = new Fake("gamma", 3, false);

        TransportNotFoundException e = assertThrows(TransportNotFoundException.class,
                () -> TransportDiscovery.select(named("quic"), List.of(beta, gamma, alpha)));

        assertEquals(List.of("alpha", "beta"), e.available());
        String msg = e.getMessage();
        assertTrue(msg.contains("quic"), msg);
        assertTrue(msg.contains("alpha"), msg);
        assertTrue(msg.contains("beta"), msg);
        assertTrue(!msg.contains("gamma"), "unavailable provider must not be listed as available: " + msg);
    }

    @Test
    void noProvidersThrowsMentioningTheInMemoryArtifact() {
        TransportNotFoundException e = assertThrows(TransportNotFoundException.class,
                () -> TransportDiscovery.select(noName(), List.of()));

        assertTrue(e.getMessage().contains("peat-transport-inmem"), e.getMessage());
        assertEquals(List.of(), e.available());
    }

    @Test
    void onlyUnavailableProvidersThrowsWithEmptyAvailableList() {
        TransportNotFoundException e = assertThrows(TransportNotFoundException.class,
                () -> TransportDiscovery.select(noName(), List.of(new Fake("x", 1, false))));

        assertEquals(List.of(), e.available());
    }

    @Test
    void loadReturnsTheLoadableProviderAndSkipsOneWhoseConstructorThrows() {
        List<SyncTransportProvider> found = TransportDiscovery.load(TransportDiscoveryTest.class.getClassLoader());

        assertNotNull(found);
        assertEquals(1, found.stream().filter(p -> p instanceof LoadableProvider).count(), found.toString());
        assertTrue(found.stream().noneMatch(p -> p instanceof ExplodingConstructorProvider), found.toString());
        assertEquals(LoadableProvider.NAME, found.stream().filter(p -> p instanceof LoadableProvider).findFirst().orElseThrow().name());
    }

    @Test
    void aNamedProviderThatCannotRunHereSaysWhy() {
        Fake native_ = new Fake("quicky", 9, false) {
            @Override
            public java.util.Optional<String> unavailabilityReason() {
                return java.util.Optional.of("no native library for plan9/mips; use another transport here");
            }
        };
        TransportNotFoundException e = assertThrows(TransportNotFoundException.class, () -> TransportDiscovery.select(
                named("quicky"), List.of(native_, new Fake("inmem", 1, true))));
        assertTrue(e.getMessage().contains("'quicky' is on the class path but cannot run here: no native library for plan9/mips"),
                e.getMessage());
        assertTrue(e.getMessage().contains("available: inmem"), e.getMessage());
        assertFalse(e.getMessage().contains("to the class path"), "it is on the class path: " + e.getMessage());
    }

    /** A hand-written provider with fixed answers. */
    static class Fake implements SyncTransportProvider {
        private final String name;
        private final int priority;
        private final boolean available;

        Fake(String name, int priority, boolean available) {
            this.name = name;
            this.priority = priority;
            this.available = available;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public int priority() {
            return priority;
        }

        @Override
        public boolean isAvailable() {
            return available;
        }

        @Override
        public SyncTransport create(TransportConfig config, TransportListener listener) {
            throw new UnsupportedOperationException("not needed by discovery tests");
        }

        @Override
        public String toString() {
            return "Fake[" + name + "]";
        }
    }

    /** Listed in the test resource META-INF/services file; loads fine. */
    public static class LoadableProvider extends Fake {
        static final String NAME = "test-loadable";

        public LoadableProvider() {
            super(NAME, 1, true);
        }
    }

    /** Listed in the test resource META-INF/services file; its constructor throws. */
    public static class ExplodingConstructorProvider extends Fake {
        public ExplodingConstructorProvider() {
            super("test-exploding", 1, true);
            throw new IllegalStateException("constructor exploded on purpose");
        }
    }
}
