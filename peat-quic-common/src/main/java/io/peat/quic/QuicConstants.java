package io.peat.quic;

import java.time.Duration;

/** Constants every peat-java QUIC transport uses, so that backends interoperate. */
public final class QuicConstants {

    /** The TLS ALPN protocol id every peat QUIC connection negotiates. */
    public static final String ALPN = "cap/automerge/1";

    /** Default QUIC max idle timeout (property {@code quic.idleTimeout}): 5 s. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(5);

    /** Default keep-alive (PING) interval (property {@code quic.keepAlive}): 1 s. */
    public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(1);

    /**
     * Default bound on the QUIC/TLS handshake plus the identity exchange (property
     * {@code quic.handshakeTimeout}): 10 s.
     */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    private QuicConstants() {
    }
}
