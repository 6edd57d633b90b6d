/**
 * peat-sync, the shared sync layer: Automerge documents kept in sync with peers over one persistent
 * multiplexed stream per peer, on any {@link io.peat.spi.SyncTransport}.
 *
 * <p>API: {@code io.peat.sync} (the node, its configuration, metrics and errors, and the one seam
 * the conformance kit uses, {@link io.peat.sync.ConformanceHooks}), {@code io.peat.sync.wire} (the
 * v2 frame and its payloads) and {@code io.peat.sync.guice}. Everything under
 * {@code io.peat.sync.internal} (channels, the sync executor, the Automerge work, the payload
 * checks) is implementation and not exported.
 */
module io.peat.sync {
    requires transitive io.peat.spi;
    requires transitive automerge;
    requires transitive com.google.guice;
    requires org.slf4j;

    exports io.peat.sync;
    exports io.peat.sync.wire;
    exports io.peat.sync.guice;

    uses io.peat.spi.SyncTransportProvider;
}
