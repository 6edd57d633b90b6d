package io.peat.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.ProvisionException;
import com.google.inject.multibindings.OptionalBinder;
import io.peat.spi.PeerId;
import io.peat.spi.SyncTransport;
import io.peat.spi.SyncTransportProvider;
import io.peat.spi.TransportConfig;
import io.peat.spi.TransportListener;
import io.peat.spi.TransportNotFoundException;
import io.peat.sync.SyncBackend;
import io.peat.sync.guice.PeatSyncModule;
import io.peat.transport.inmem.InMemoryTransportProvider;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class PeatSyncModuleTest {

    private static TransportConfig config(String peer) {
        return TransportConfig.builder().localPeerId(PeerId.of(peer)).property("inmem.network", "guice-" + peer).build();
    }

    @Test
    void injectorGivesOneBackendOverTheNamedTransport() {
        TransportConfig named = TransportConfig.builder().transportName("inmem").localPeerId(PeerId.of("g1"))
                .property("inmem.network", "guice-g1").build();
        Injector injector = Guice.createInjector(new PeatSyncModule(named));
        try (SyncBackend backend = injector.getInstance(SyncBackend.class)) {
            assertSame(backend, injector.getInstance(SyncBackend.class), "the backend is a singleton");
            assertEquals("inmem", backend.transport().name());
            assertEquals(PeerId.of("g1"), backend.peerId());
        }
    }

    @Test
    void testsCanSwapTheTransportWithAnOptionalBinding() {
        AtomicInteger created = new AtomicInteger();
        SyncTransportProvider counting = new SyncTransportProvider() {
            private final InMemoryTransportProvider inner = new InMemoryTransportProvider();

            @Override
            public String name() {
                return "counting";
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
                created.incrementAndGet();
                return inner.create(config, listener);
            }
        };
        Injector injector = Guice.createInjector(new PeatSyncModule(config("g2")), new AbstractModule() {
            @Override
            protected void configure() {
                OptionalBinder.newOptionalBinder(binder(), SyncTransportProvider.class).setBinding().toInstance(counting);
            }
        });
        try (SyncBackend backend = injector.getInstance(SyncBackend.class)) {
            assertEquals(1, created.get(), "the swapped-in provider made the endpoint");
            assertEquals(PeerId.of("g2"), backend.peerId());
        }
    }

    @Test
    void aMisnamedTransportFailsListingTheAvailableOnes() {
        TransportConfig bad = TransportConfig.builder().transportName("quic-typo").build();
        Injector injector = Guice.createInjector(new PeatSyncModule(bad));
        ProvisionException e = assertThrows(ProvisionException.class, () -> injector.getInstance(SyncBackend.class));
        Throwable cause = e.getCause();
        assertTrue(cause instanceof TransportNotFoundException, String.valueOf(cause));
        assertTrue(cause.getMessage().contains("available: inmem, kwik, netty"), cause.getMessage());
    }
}
