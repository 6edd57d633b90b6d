package io.peat.transport.netty;

/**
 * The {@link io.peat.spi.TransportConfig} properties the {@code netty} transport reads. Durations
 * take milliseconds ({@code 1500ms}, {@code 1500}) or ISO-8601 ({@code PT1.5S}).
 *
 * <p>Shared by every peat QUIC transport (read through {@code io.peat.quic.QuicIdentityConfig}):
 * <ul>
 *   <li>{@value #IDLE_TIMEOUT}: QUIC max idle timeout, default 5 s. A connection that hears nothing
 *       for this long is closed (this is how a dead path is noticed).</li>
 *   <li>{@value #KEEP_ALIVE}: interval of the keep-alive (an ack-eliciting QUIC DATAGRAM) sent on
 *       every connection, default 1 s; must be positive (an interval above the idle timeout keeps
 *       nothing alive).</li>
 *   <li>{@value #HANDSHAKE_TIMEOUT}: bound on the QUIC/TLS handshake plus the identity exchange,
 *       default 10 s; a dial that does not complete in time fails with a
 *       {@link io.peat.spi.TransportException} naming the address.</li>
 *   <li>{@code quic.identity.dir}, {@code quic.identity.key}, {@code quic.identity.keyFile}: where the
 *       node's P-256 key comes from (else an ephemeral key).</li>
 * </ul>
 *
 * <p>Netty only:
 * <ul>
 *   <li>{@value #THREADS}: event loop threads per endpoint, default 2.</li>
 *   <li>{@value #STREAM_WINDOW}: QUIC flow-control window of each stream direction, default 1 MiB
 *       (a reader that does not read holds its writer back after about this much).</li>
 *   <li>{@value #CONNECTION_WINDOW}: QUIC flow-control window of a whole connection, default 16 MiB.</li>
 *   <li>{@value #MAX_STREAMS}: concurrent bidirectional streams a peer may open, default 1000.</li>
 *   <li>{@value #CONGESTION_CONTROL}: quiche's congestion control, {@code cubic},
 *       {@code reno} or {@code bbr}; default {@code bbr} (on a shaped 256 kbit/s link at 50 Hz cubic filled the
 *       relay queue and lost 976 datagrams, delivering 54 %; bbr lost none and delivered 82 %).</li>
 * </ul>
 */
public final class NettyProperties {
    /** QUIC max idle timeout. */
    public static final String IDLE_TIMEOUT = "quic.idleTimeout";
    /** Keep-alive interval. */
    public static final String KEEP_ALIVE = "quic.keepAlive";
    /** Handshake and identity-exchange bound. */
    public static final String HANDSHAKE_TIMEOUT = "quic.handshakeTimeout";
    /** Event loop threads per endpoint. */
    public static final String THREADS = "netty.threads";
    /** Per-stream flow-control window in bytes. */
    public static final String STREAM_WINDOW = "netty.streamWindowBytes";
    /** Per-connection flow-control window in bytes. */
    public static final String CONNECTION_WINDOW = "netty.connectionWindowBytes";
    /** Concurrent bidirectional streams a peer may open. */
    public static final String MAX_STREAMS = "netty.maxStreams";
    /** Congestion control algorithm: cubic, reno or bbr. */
    public static final String CONGESTION_CONTROL = "netty.congestionControl";

    private NettyProperties() {
    }
}
