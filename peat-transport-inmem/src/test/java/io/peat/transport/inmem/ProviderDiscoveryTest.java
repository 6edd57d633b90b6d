package io.peat.transport.inmem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peat.spi.SyncTransportProvider;
import io.peat.spi.TransportConfig;
import io.peat.spi.TransportDiscovery;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ProviderDiscoveryTest {

    @Test
    void serviceLoaderFindsInmem() {
        List<SyncTransportProvider> found = ServiceLoader.load(SyncTransportProvider.class).stream()
                .map(ServiceLoader.Provider::get).filter(p -> p.name().equals("inmem")).toList();
        assertEquals(1, found.size());
        SyncTransportProvider p = found.get(0);
        assertInstanceOf(InMemoryTransportProvider.class, p);
        assertEquals(1, p.priority());
        assertTrue(p.isAvailable());
    }

    @Test
    void discoverySelectsInmemByNameAndByPriority() {
        SyncTransportProvider named = TransportDiscovery.select(TransportConfig.builder().transportName("inmem").build());
        assertEquals("inmem", named.name());
        SyncTransportProvider ranked = TransportDiscovery.select(TransportConfig.builder().build());
        assertEquals("inmem", ranked.name());
    }
}
