package io.peat.transport.netty.internal;

import io.netty.handler.codec.quic.QuicCongestionControlAlgorithm;
import io.peat.quic.QuicIdentityConfig;
import io.peat.spi.ConfigException;
import io.peat.spi.TransportConfig;
import io.peat.transport.netty.NettyProperties;
import java.time.Duration;

/**
 * The settings of one endpoint, read once from its {@link TransportConfig}. Immutable.
 *
 * @param idleTimeout QUIC max idle timeout
 * @param keepAlive keep-alive interval (zero: none)
 * @param handshakeTimeout bound on the handshake plus the identity exchange
 * @param threads event loop threads
 * @param streamWindow per-stream flow-control window
 * @param connectionWindow per-connection flow-control window
 * @param maxStreams bidirectional streams a peer may open
 * @param congestionControl quiche's congestion control algorithm
 */
record NettySettings(Duration idleTimeout, Duration keepAlive, Duration handshakeTimeout, int threads, long streamWindow,
        long connectionWindow, long maxStreams, QuicCongestionControlAlgorithm congestionControl) {

    static NettySettings from(TransportConfig c) {
        Duration idle = QuicIdentityConfig.idleTimeout(c);
        Duration keepAlive = QuicIdentityConfig.keepAlive(c);
        Duration handshake = QuicIdentityConfig.handshakeTimeout(c);
        positive(NettyProperties.IDLE_TIMEOUT, idle);
        positive(NettyProperties.HANDSHAKE_TIMEOUT, handshake);
        if (keepAlive.isNegative()) {
            throw new ConfigException("property " + NettyProperties.KEEP_ALIVE + "='" + keepAlive + "' is negative; give 0 to"
                    + " disable the keep-alive or an interval such as 1000ms");
        }
        int threads = c.intProperty(NettyProperties.THREADS, 2);
        int streamWindow = c.intProperty(NettyProperties.STREAM_WINDOW, 1 << 20);
        int connectionWindow = c.intProperty(NettyProperties.CONNECTION_WINDOW, 16 << 20);
        int maxStreams = c.intProperty(NettyProperties.MAX_STREAMS, 1000);
        atLeast(NettyProperties.THREADS, threads, 1);
        atLeast(NettyProperties.STREAM_WINDOW, streamWindow, 1024);
        atLeast(NettyProperties.CONNECTION_WINDOW, connectionWindow, 1024);
        atLeast(NettyProperties.MAX_STREAMS, maxStreams, 2);
        return new NettySettings(idle, keepAlive, handshake, threads, streamWindow, connectionWindow, maxStreams, congestionControl(c));
    }

    private static QuicCongestionControlAlgorithm congestionControl(TransportConfig c) {
        String name = c.property(NettyProperties.CONGESTION_CONTROL).orElse("bbr").trim();
        for (QuicCongestionControlAlgorithm a : QuicCongestionControlAlgorithm.values()) {
            if (a.name().equalsIgnoreCase(name)) {
                return a;
            }
        }
        throw new ConfigException("property " + NettyProperties.CONGESTION_CONTROL + "='" + name + "' is not a congestion control"
                + " of quiche; give one of cubic, reno, bbr");
    }

    private static void positive(String key, Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new ConfigException("property " + key + "='" + d + "' must be positive, e.g. 5000ms");
        }
    }

    private static void atLeast(String key, long v, long min) {
        if (v < min) {
            throw new ConfigException("property " + key + "='" + v + "' must be at least " + min);
        }
    }
}
