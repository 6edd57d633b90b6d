/**
 * The Netty QUIC peat-java transport (provider name {@code netty}): a {@link io.peat.spi.SyncTransport}
 * over Netty 4.2's QUIC codec (quiche and BoringSSL, native). The implementation lives in
 * {@code io.peat.transport.netty.internal}, which is not exported.
 */
module io.peat.transport.netty {
    requires transitive io.peat.spi;
    requires io.peat.quic;
    requires io.netty.common;
    requires io.netty.buffer;
    requires io.netty.transport;
    requires io.netty.codec;
    requires io.netty.handler;
    requires io.netty.codec.classes.quic;

    exports io.peat.transport.netty;

    provides io.peat.spi.SyncTransportProvider with io.peat.transport.netty.NettyTransportProvider;
}
