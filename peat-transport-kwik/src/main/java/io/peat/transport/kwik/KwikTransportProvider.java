package io.peat.transport.kwik;

import io.peat.spi.SyncTransport;
import io.peat.spi.SyncTransportProvider;
import io.peat.spi.TransportConfig;
import io.peat.spi.TransportListener;
import io.peat.transport.kwik.internal.KwikTransport;

/**
 * The Kwik QUIC transport, provider name {@value #NAME}, priority 5. Properties: those of
 * {@code io.peat.quic.QuicIdentityConfig} ({@code quic.*}) and {@code kwik.*} (see {@link KwikProperties}).
 */
public final class KwikTransportProvider implements SyncTransportProvider {

    /** The provider name. */
    public static final String NAME = "kwik";

    /** Public no-argument constructor for {@link java.util.ServiceLoader}; does no I/O. */
    public KwikTransportProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    /** @return {@link io.peat.spi.TransportNetwork#UDP} */
    @Override
    public io.peat.spi.TransportNetwork network() {
        return io.peat.spi.TransportNetwork.UDP;
    }

    @Override
    public int priority() {
        return 5;
    }

    @Override
    public boolean isAvailable() {
        try {
            Class.forName("tech.kwik.core.QuicClientConnection", false, KwikTransportProvider.class.getClassLoader());
            Class.forName("tech.kwik.core.server.ServerConnector", false, KwikTransportProvider.class.getClassLoader());
            Class.forName("tech.kwik.agent15.engine.TlsClientEngine", false, KwikTransportProvider.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    @Override
    public SyncTransport create(TransportConfig config, TransportListener listener) {
        return KwikTransport.create(config, listener);
    }
}
