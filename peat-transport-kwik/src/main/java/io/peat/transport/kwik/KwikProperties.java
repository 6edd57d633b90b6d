package io.peat.transport.kwik;

/**
 * Configuration properties of the Kwik transport, besides the shared {@code quic.*} ones
 * ({@code quic.identity.*}, {@code quic.idleTimeout}, {@code quic.keepAlive}, {@code quic.handshakeTimeout}).
 *
 * <table>
 * <caption>Properties</caption>
 * <tr><th>property</th><th>meaning</th></tr>
 * <tr><td>{@value #SOCKET_BUFFER}</td><td>UDP SO_RCVBUF / SO_SNDBUF asked for, bytes (default 4 MiB; the OS may cap it)</td></tr>
 * <tr><td>{@value #STREAM_WINDOW}</td><td>receive window (flow-control credit) per stream, bytes (default 256 KiB)</td></tr>
 * <tr><td>{@value #CONNECTION_WINDOW}</td><td>receive window per connection, bytes (default 4 MiB)</td></tr>
 * <tr><td>{@value #SEND_REPAIR}</td><td>{@code true} (default) or {@code false}: the watchdog that re-queues a stream's
 *     lost send request (Kwik fault, see KWIK-STALL.md); {@code false} only to measure or reproduce the fault</td></tr>
 * <tr><td>{@value #STALL_NUDGE}</td><td>a write blocked this long without progress gets a no-byte nudge that
 *     re-queues the stream's lost send request (Kwik fault, see KWIK-STALL.md); default 250 ms</td></tr>
 * <tr><td>{@value #STALL_TIMEOUT}</td><td>a write blocked this long without progress although nudged resets
 *     the stream ({@code StreamResetException}, code {@value #STALL_RESET_CODE}); default 20 s; 0 disables</td></tr>
 * </table>
 */
public final class KwikProperties {

    /** Property: UDP socket buffer sizes. */
    public static final String SOCKET_BUFFER = "kwik.socketBuffer";
    /** Property: per-stream receive window. */
    public static final String STREAM_WINDOW = "kwik.streamWindow";
    /** Property: per-connection receive window. */
    public static final String CONNECTION_WINDOW = "kwik.connectionWindow";
    /** Property: whether the send-request repair runs. */
    public static final String SEND_REPAIR = "kwik.sendRepair";
    /** Property: nudge delay for a blocked write. */
    public static final String STALL_NUDGE = "kwik.stallNudge";
    /** Property: reset delay for a stalled write. */
    public static final String STALL_TIMEOUT = "kwik.stallTimeout";
    /** The application error code of a stream reset by the stall watchdog. */
    public static final long STALL_RESET_CODE = 0x5A;

    private KwikProperties() {
    }
}
