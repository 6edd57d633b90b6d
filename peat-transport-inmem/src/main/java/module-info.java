/**
 * The in-memory peat-java transport: endpoints in one JVM joined by an {@link
 * io.peat.transport.inmem.InMemoryNetwork}, with QUIC-like stream semantics, flow control, link
 * shaping and fault injection for tests. Depends on the JDK and the SPI only.
 */
module io.peat.transport.inmem {
    requires transitive io.peat.spi;

    exports io.peat.transport.inmem;

    provides io.peat.spi.SyncTransportProvider with io.peat.transport.inmem.InMemoryTransportProvider;
}
