package io.peat.tck.selftest.tcp;

import io.peat.spi.ConfigException;
import io.peat.spi.PeerId;
import io.peat.spi.SyncTransport;
import io.peat.spi.SyncTransportProvider;
import io.peat.spi.TransportConfig;
import io.peat.spi.TransportListener;
import java.time.Duration;

/**
 * A plain-TCP transport written only from the SPI's Javadoc, as a newcomer would, to prove that the
 * kit and its runner can test a TCP transport: addresses {@code host:port}, one TCP connection per
 * peer connection, streams multiplexed with a small framing ({@link Frame}), peer ids exchanged in a
 * hello (no keys). Test code only; never picked over a real transport (priority 0).
 *
 * <p>Properties: {@value #IDLE_TIMEOUT} (default 5 s): a connection that receives nothing for that
 * long is lost; each side sends a keep-alive after a third of it. Thread-safe and stateless.
 */
public final class TcpTransportProvider implements SyncTransportProvider {
    /** The name the runner and discovery select this transport by. */
    public static final String NAME = "tcp";
    /** Property: how long a silent connection lives, e.g. {@code 5s}. */
    public static final String IDLE_TIMEOUT = "tcp.idleTimeout";
    private static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(5);

    /** Does nothing: no I/O until {@link #create}. */
    public TcpTransportProvider() {
        // stateless
    }

    @Override
    public String name() {
        return NAME;
    }

    /** @return {@link io.peat.spi.TransportNetwork#TCP} */
    @Override
    public io.peat.spi.TransportNetwork network() {
        return io.peat.spi.TransportNetwork.TCP;
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    /**
     * @throws ConfigException when no local peer id is configured or the idle timeout is not a positive duration
     */
    @Override
    public SyncTransport create(TransportConfig config, TransportListener listener) {
        PeerId me = config.localPeerId().orElseThrow(() -> new ConfigException("the tcp transport needs a local peer id:"
                + " set TransportConfig.builder().localPeerId(...)"));
        Duration idle = config.durationProperty(IDLE_TIMEOUT, DEFAULT_IDLE_TIMEOUT);
        if (idle.isNegative() || idle.isZero() || idle.toMillis() > Integer.MAX_VALUE) {
            throw new ConfigException("property " + IDLE_TIMEOUT + "='" + config.property(IDLE_TIMEOUT).orElse("") + "' must be a"
                    + " positive duration under 24 days, e.g. 5s");
        }
        return new TcpTransport(me, idle, listener);
    }
}
