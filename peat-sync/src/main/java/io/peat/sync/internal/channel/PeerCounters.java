package io.peat.sync.internal.channel;

import io.peat.spi.ProtocolViolationException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live counters for one peer (SPEC section 3.9). Thread-safe: updated by writers, readers and the
 * sync thread on their own threads; read at any time.
 */
public final class PeerCounters {
    private static final Logger LOG = LoggerFactory.getLogger(PeerCounters.class);
    /** At most one protocol-error log line per peer per this many nanoseconds; the counters carry the rest. */
    static final long LOG_INTERVAL_NANOS = 10_000_000_000L;

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
    /** Protocol errors: streams reset for bad framing, and payloads refused (SPEC 3.13). */
    public final AtomicLong protocolErrors = new AtomicLong();
    /** The last protocol violation seen from the peer, if any. */
    public final AtomicReference<ProtocolViolationException> lastProtocolViolation = new AtomicReference<>();
    /** Bytes read from the peer and not yet applied, across all its streams (SPEC 3.12). */
    public final AtomicLong pendingBytes = new AtomicLong();
    /** Sync messages not sent because one change in them is over the peer's cap even deflated. */
    public final AtomicLong oversizedChanges = new AtomicLong();

    /**
     * Adds this peer's cumulative counts into {@code total} (a departed peer's counters are kept in
     * that bounded form). Gauges (pending bytes) and the last violation are not carried.
     *
     * @param total the running total of departed peers
     */
    public void addTo(PeerCounters total) {
        total.bytesSent.addAndGet(bytesSent.get());
        total.bytesReceived.addAndGet(bytesReceived.get());
        for (int i = 0; i < framesSent.length(); i++) {
            total.framesSent.addAndGet(i, framesSent.get(i));
            total.framesReceived.addAndGet(i, framesReceived.get(i));
        }
        total.reconnects.addAndGet(reconnects.get());
        total.fallbackSends.addAndGet(fallbackSends.get());
        total.unknownFrames.addAndGet(unknownFrames.get());
        total.protocolErrors.addAndGet(protocolErrors.get());
        total.oversizedChanges.addAndGet(oversizedChanges.get());
    }

    private final AtomicLong nextLogNanos = new AtomicLong(System.nanoTime());
    private final AtomicLong unlogged = new AtomicLong();

    /**
     * Counts a protocol error, makes it the last one, and logs it at WARN at most once per
     * {@value #LOG_INTERVAL_NANOS} ns per peer (the line says how many were not logged since).
     *
     * @param e the violation, naming the peer, the key and the value
     * @return whether it was logged
     */
    public boolean recordProtocolError(ProtocolViolationException e) {
        protocolErrors.incrementAndGet();
        lastProtocolViolation.set(e);
        long now = System.nanoTime();
        long next = nextLogNanos.get();
        if (now - next >= 0 && nextLogNanos.compareAndSet(next, now + LOG_INTERVAL_NANOS)) {
            long skipped = unlogged.getAndSet(0);
            LOG.warn("{}{}", e.getMessage(), skipped == 0 ? "" : " (" + skipped + " more protocol errors from this peer not logged;"
                    + " see metrics().protocolErrors())");
            return true;
        }
        unlogged.incrementAndGet();
        return false;
    }
}
