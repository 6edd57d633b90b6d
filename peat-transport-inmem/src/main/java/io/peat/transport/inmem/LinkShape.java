package io.peat.transport.inmem;

import java.time.Duration;
import java.util.Objects;

/**
 * How an {@link InMemoryNetwork} shapes the bytes flowing from one peer to another: a token bucket
 * paces them and each chunk reaches the receiver no earlier than {@code oneWayDelay} after it was
 * sent. Immutable; safe to share between threads.
 *
 * @param bytesPerSecond the sustained rate; 0 means unlimited
 * @param burstBytes how many bytes may go at once before the rate applies (the bucket's size)
 * @param oneWayDelay the latency added to every chunk, never negative
 */
public record LinkShape(long bytesPerSecond, long burstBytes, Duration oneWayDelay) {

    /**
     * Validates the shape.
     *
     * @throws IllegalArgumentException when a number is negative
     * @throws NullPointerException when {@code oneWayDelay} is null
     */
    public LinkShape {
        Objects.requireNonNull(oneWayDelay, "oneWayDelay");
        if (bytesPerSecond < 0 || burstBytes < 0 || oneWayDelay.isNegative()) {
            throw new IllegalArgumentException("link shape values must not be negative: bytesPerSecond=" + bytesPerSecond
                    + ", burstBytes=" + burstBytes + ", oneWayDelay=" + oneWayDelay);
        }
    }

    /**
     * @param oneWayDelay the latency to add
     * @return a shape that only delays, at unlimited rate
     */
    public static LinkShape delay(Duration oneWayDelay) {
        return new LinkShape(0, 0, oneWayDelay);
    }

    /**
     * @param bytesPerSecond the sustained rate (0 = unlimited)
     * @param burstBytes the bucket size
     * @return a shape that only paces, without added latency
     */
    public static LinkShape rate(long bytesPerSecond, long burstBytes) {
        return new LinkShape(bytesPerSecond, burstBytes, Duration.ZERO);
    }
}
