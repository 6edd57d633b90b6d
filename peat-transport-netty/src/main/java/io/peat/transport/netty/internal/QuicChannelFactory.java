package io.peat.transport.netty.internal;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.quic.QuicClientCodecBuilder;
import io.netty.handler.codec.quic.QuicCodecBuilder;
import io.netty.handler.codec.quic.QuicServerCodecBuilder;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.peat.quic.CertificatePinning;
import io.peat.quic.NodeIdentity;
import io.peat.quic.QuicConstants;
import java.util.concurrent.TimeUnit;

/**
 * Builds the QUIC codecs of one endpoint: TLS with the node's self-signed P-256 certificate, ALPN
 * {@value QuicConstants#ALPN}, flow-control windows (quiche's defaults are 0, so nothing would
 * flow), the idle timeout and the DATAGRAM extension the keep-alive uses. Stateless after
 * construction; any thread.
 */
final class QuicChannelFactory {
    /** Datagram queue lengths: keep-alives only, so small. */
    private static final int DATAGRAM_QUEUE = 16;

    private final NodeIdentity identity;
    private final NettySettings settings;

    QuicChannelFactory(NodeIdentity identity, NettySettings settings) {
        this.identity = identity;
        this.settings = settings;
    }

    /**
     * @param connectionInit added to each accepted QuicChannel
     * @param streamInit added to each stream the peer opens
     * @return the server codec for a datagram channel
     */
    ChannelHandler serverCodec(ChannelHandler connectionInit, ChannelHandler streamInit) {
        // The server does not ask for a client certificate: the dialer proves its id in band (IdentityExchange).
        QuicSslContext ssl = QuicSslContextBuilder.forServer(identity.privateKey(), null, identity.certificate())
                .applicationProtocols(QuicConstants.ALPN).earlyData(false).build();
        QuicServerCodecBuilder b = new QuicServerCodecBuilder().sslContext(ssl).handler(connectionInit).streamHandler(streamInit)
                .streamOption(ChannelOption.AUTO_READ, false).streamOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        return common(b).build();
    }

    /** @return a client codec for one dial (a fresh TLS context each time: no session resumption, a full certificate) */
    ChannelHandler clientCodec() {
        QuicSslContext ssl = QuicSslContextBuilder.forClient().trustManager(CertificatePinning.selfSignedP256())
                .applicationProtocols(QuicConstants.ALPN)
                // The certificate is pinned by peer id, not by host name: no endpoint identification.
                .endpointIdentificationAlgorithm(null).earlyData(false).build();
        return common(new QuicClientCodecBuilder().sslContext(ssl)).build();
    }

    private <B extends QuicCodecBuilder<B>> B common(B b) {
        return b.maxIdleTimeout(settings.idleTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .initialMaxData(settings.connectionWindow())
                .initialMaxStreamDataBidirectionalLocal(settings.streamWindow())
                .initialMaxStreamDataBidirectionalRemote(settings.streamWindow())
                .initialMaxStreamsBidirectional(settings.maxStreams())
                .initialMaxStreamDataUnidirectional(0)
                .initialMaxStreamsUnidirectional(0)
                .congestionControlAlgorithm(settings.congestionControl())
                .datagram(DATAGRAM_QUEUE, DATAGRAM_QUEUE);
    }
}
