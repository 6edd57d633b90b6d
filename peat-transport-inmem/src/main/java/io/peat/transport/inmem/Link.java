package io.peat.transport.inmem;

import io.peat.spi.PeerId;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The one-way path from one peer to another in an {@link InMemoryNetwork}, shared by every stream
 * of every connection between them: its shape (pacing and delay), its armed one-shot faults and
 * its taps.
 *
 * <p>Thread-safe. Shape and fault state are guarded by {@code this}, a leaf lock that may be taken
 * while a connection lock is held (never the other way round). Taps are a copy-on-write list.
 */
final class Link {

    /** What a delivery must do after its admitted bytes. */
    enum Fault { NONE, KILL_CONNECTION, RESET_STREAM }

    /**
     * The outcome of {@link #admit}.
     *
     * @param bytes how many of the offered bytes to deliver (the rest are lost)
     * @param fault what to do once they are delivered
     */
    record Admission(int bytes, Fault fault) {
    }

    final PeerId from;
    final PeerId to;
    final List<StreamTap> taps = new CopyOnWriteArrayList<>();

    // Guarded by this.
    private LinkShape shape;
    private double tokens;
    private long lastRefillNanos;
    private long killAfter = -1;
    private long resetAfter = -1;

    Link(PeerId from, PeerId to) {
        this.from = from;
        this.to = to;
    }

    /** Sets (or, with null, clears) the shape; the bucket starts full. Any thread. */
    synchronized void shape(LinkShape newShape) {
        shape = newShape;
        tokens = newShape == null ? 0 : newShape.burstBytes();
        lastRefillNanos = System.nanoTime();
    }

    /** Arms the one-shot connection kill after {@code n} more delivered bytes. Any thread. */
    synchronized void killAfter(long n) {
        killAfter = n;
    }

    /** Arms the one-shot stream reset after {@code n} more delivered bytes. Any thread. */
    synchronized void resetAfter(long n) {
        resetAfter = n;
    }

    /**
     * Takes {@code bytes} from the token bucket and says when they may reach the receiver.
     *
     * @param bytes the chunk's size (0 for a FIN, which is delayed but not paced)
     * @param now {@link System#nanoTime()} at sending
     * @return the earliest delivery time, in {@link System#nanoTime()} units
     */
    synchronized long deliverAt(int bytes, long now) {
        LinkShape s = shape;
        if (s == null) {
            return now;
        }
        long sendAt = now;
        if (s.bytesPerSecond() > 0 && bytes > 0) {
            double perNano = s.bytesPerSecond() / 1e9;
            tokens = Math.min(s.burstBytes(), tokens + (now - lastRefillNanos) * perNano);
            lastRefillNanos = now;
            tokens -= bytes;
            if (tokens < 0) {
                sendAt = now + (long) Math.ceil(-tokens / perNano);
            }
        }
        return sendAt + s.oneWayDelay().toNanos();
    }

    /**
     * Counts {@code bytes} about to be delivered against the armed faults.
     *
     * @param bytes the chunk's size, at least 1
     * @return how many to deliver and which fault, if any, fires right after them
     */
    synchronized Admission admit(int bytes) {
        long trigger = Long.MAX_VALUE;
        if (killAfter >= 0) {
            trigger = killAfter;
        }
        if (resetAfter >= 0) {
            trigger = Math.min(trigger, resetAfter);
        }
        if (trigger > bytes) {
            if (killAfter >= 0) {
                killAfter -= bytes;
            }
            if (resetAfter >= 0) {
                resetAfter -= bytes;
            }
            return new Admission(bytes, Fault.NONE);
        }
        int k = (int) trigger;
        Fault fault = killAfter == trigger ? Fault.KILL_CONNECTION : Fault.RESET_STREAM;
        killAfter = killAfter == trigger ? -1 : killAfter >= 0 ? killAfter - k : -1;
        resetAfter = resetAfter == trigger ? -1 : resetAfter >= 0 ? resetAfter - k : -1;
        return new Admission(k, fault);
    }
}
