package io.peat.transport.kwik.internal;

import io.peat.quic.NodeIdentity;
import io.peat.quic.QuicIdentityConfig;
import io.peat.spi.ConfigException;
import io.peat.spi.TransportConfig;
import io.peat.transport.kwik.KwikProperties;
import java.time.Duration;

/** The settings of one endpoint, read once from its {@link TransportConfig}. Immutable. */
record KwikSettings(NodeIdentity identity, Duration idleTimeout, Duration keepAlive, Duration handshakeTimeout,
        int socketBuffer, int streamWindow, int connectionWindow, boolean sendRepair, Duration stallNudge, Duration stallTimeout) {

    static KwikSettings from(TransportConfig config) {
        NodeIdentity id = QuicIdentityConfig.from(config);
        Duration idle = QuicIdentityConfig.idleTimeout(config);
        Duration keepAlive = QuicIdentityConfig.keepAlive(config);
        Duration handshake = QuicIdentityConfig.handshakeTimeout(config);
        int socketBuffer = positive(config, KwikProperties.SOCKET_BUFFER, 4 << 20);
        int streamWindow = positive(config, KwikProperties.STREAM_WINDOW, 256 << 10);
        int connectionWindow = positive(config, KwikProperties.CONNECTION_WINDOW, 4 << 20);
        if (connectionWindow < streamWindow) {
            throw new ConfigException("property " + KwikProperties.CONNECTION_WINDOW + "=" + connectionWindow
                    + " is smaller than " + KwikProperties.STREAM_WINDOW + "=" + streamWindow + "; give a connection window at"
                    + " least as large as the stream window");
        }
        String repair = config.property(KwikProperties.SEND_REPAIR).orElse("true").trim();
        if (!repair.equals("true") && !repair.equals("false")) {
            throw new ConfigException("property " + KwikProperties.SEND_REPAIR + "='" + repair + "' is not true or false; leave it"
                    + " unset (true) unless you are measuring the Kwik fault");
        }
        Duration nudge = config.durationProperty(KwikProperties.STALL_NUDGE, Duration.ofMillis(250));
        Duration stall = config.durationProperty(KwikProperties.STALL_TIMEOUT, Duration.ofSeconds(20));
        if (nudge.isNegative() || nudge.isZero()) {
            throw new ConfigException("property " + KwikProperties.STALL_NUDGE + " must be a positive duration, e.g. 250ms");
        }
        if (stall.isNegative()) {
            throw new ConfigException("property " + KwikProperties.STALL_TIMEOUT + " must not be negative; 0 disables it, e.g. 20000ms");
        }
        return new KwikSettings(id, idle, keepAlive, handshake, socketBuffer, streamWindow, connectionWindow, Boolean.parseBoolean(repair),
                nudge, stall);
    }

    private static int positive(TransportConfig config, String key, int def) {
        int v = config.intProperty(key, def);
        if (v <= 0) {
            throw new ConfigException("property " + key + "=" + v + " must be a positive number of bytes, e.g. " + def);
        }
        return v;
    }
}
