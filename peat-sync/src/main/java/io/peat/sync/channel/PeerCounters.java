package io.peat.sync.channel;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Live counters for one peer (SPEC section 3.9). Thread-safe: updated by writers, readers and the
 * coordinator on their own threads; read at any time.
 */
public final class PeerCounters {
    /** Bytes actually written to a stream (counted when the transport took them, not at enqueue). */
    public final AtomicLong bytesSent = new AtomicLong();
    /** Bytes read from streams. */
    public final AtomicLong bytesReceived = new AtomicLong();
    /** Frames written, indexed by msg_type byte. */
    public final AtomicLongArray framesSent = new AtomicLongArray(256);
    /** Frames read, indexed by msg_type byte. */
    public final AtomicLongArray framesReceived = new AtomicLongArray(256);
    /** Times the persistent stream failed and a reconnect began. */
    public final AtomicLong reconnects = new AtomicLong();
    /** Frames sent over the per-message (fallback) path. */
    public final AtomicLong fallbackSends = new AtomicLong();
    /** Frames of unknown or reserved type skipped. */
    public final AtomicLong unknownFrames = new AtomicLong();
    /** Streams reset because the peer broke the protocol. */
    public final AtomicLong protocolErrors = new AtomicLong();
    /** The last protocol violation seen from the peer, if any. */
    public final java.util.concurrent.atomic.AtomicReference<io.peat.spi.ProtocolViolationException> lastProtocolViolation =
            new java.util.concurrent.atomic.AtomicReference<>();
}
