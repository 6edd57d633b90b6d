package io.peat.transport.netty;

import io.peat.spi.ConfigException;
import io.peat.spi.SyncTransport;
import io.peat.spi.SyncTransportProvider;
import io.peat.spi.TransportConfig;
import io.peat.spi.TransportException;
import io.peat.spi.TransportListener;
import io.peat.transport.netty.internal.NativeQuicSupport;
import io.peat.transport.netty.internal.NettyTransport;
import java.util.Objects;

/**
 * The {@code netty} transport: peat-java sync over QUIC with Netty 4.2's QUIC codec (quiche and
 * BoringSSL, loaded from {@code io.netty:netty-codec-native-quic} for this platform). Priority 10.
 * Stateless and thread-safe; the constructor does no I/O and loads nothing.
 *
 * <p>Identity: each endpoint has an ECDSA P-256 key (see {@code io.peat.quic.QuicIdentityConfig}:
 * {@code quic.identity.dir}, {@code quic.identity.key}, {@code quic.identity.keyFile}, else an
 * ephemeral key); its peer id is derived from the key. Properties are listed in
 * {@link NettyProperties}. Addresses are {@code host:port} (IPv6 as {@code [::1]:port}).
 */
public final class NettyTransportProvider implements SyncTransportProvider {

    /** The name this transport is selected by. */
    public static final String NAME = "netty";

    /** Creates the provider; does nothing else. Any thread. */
    public NettyTransportProvider() {
    }

    /** @return {@value #NAME}; never throws. Any thread. */
    @Override
    public String name() {
        return NAME;
    }

    /** @return 10: preferred over the in-memory transport; never throws. Any thread. */
    /** @return {@link io.peat.spi.TransportNetwork#UDP} */
    @Override
    public io.peat.spi.TransportNetwork network() {
        return io.peat.spi.TransportNetwork.UDP;
    }

    @Override
    public int priority() {
        return 10;
    }

    /** @return true when Netty's native QUIC library loads on this platform; never throws. Any thread. */
    @Override
    public boolean isAvailable() {
        return NativeQuicSupport.isAvailable();
    }

    /** @return the platform, the native artifact to add and the cause, when Netty's QUIC library did not load */
    @Override
    public java.util.Optional<String> unavailabilityReason() {
        return NativeQuicSupport.unavailabilityReason();
    }

    /**
     * Creates an endpoint with its own event loop threads ({@code peat-netty-<peer>-N}). It does not
     * listen until {@link SyncTransport#listen} is called. Any thread.
     *
     * @throws ConfigException when a property is malformed or the identity cannot be loaded
     * @throws TransportException when no native QUIC library matches this platform, naming the
     *     OS, the architecture, the classifier to add and the cause
     */
    @Override
    public SyncTransport create(TransportConfig config, TransportListener listener) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(listener, "listener");
        NativeQuicSupport.ensureAvailable();
        return NettyTransport.create(config, listener);
    }
}
