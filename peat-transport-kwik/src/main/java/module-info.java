/**
 * The Kwik peat-java transport (provider name {@code kwik}): a {@link io.peat.spi.SyncTransport} over Kwik, a
 * pure-Java QUIC implementation (LGPL-3.0). The implementation lives in {@code io.peat.transport.kwik.internal},
 * which is not exported.
 */
module io.peat.transport.kwik {
    requires transitive io.peat.spi;
    requires io.peat.quic;
    requires tech.kwik.core;

    exports io.peat.transport.kwik;

    provides io.peat.spi.SyncTransportProvider with io.peat.transport.kwik.KwikTransportProvider;
}
