package io.peat.sync.internal.channel;

import io.peat.spi.ByteStream;
import io.peat.spi.PeerConnection;
import io.peat.spi.PeerId;
import io.peat.sync.BackpressureException;
import io.peat.sync.wire.Frame;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The per-message (fallback) path of SPEC section 3.6: open a fresh stream, write one frame,
 * finish; then read whatever the peer answers on that stream until it finishes, with a timeout.
 * Used only while a channel is reconnecting. In-flight sends per peer are bounded.
 *
 * <p>Thread-safe: called from any sender thread; completions run on transport threads.
 */
public final class PerMessageSender {
    private final Function<PeerId, CompletionStage<PeerConnection>> connections;
    private final StreamServer server;
    private final ScheduledExecutorService scheduler;
    private final Duration readTimeout;
    private final int maxInFlight;
    private final ConcurrentHashMap<PeerId, Semaphore> inFlight = new ConcurrentHashMap<>();

    /** Serves the reply side of a one-shot stream as a secondary stream. */
    interface StreamServer {
        /** @return completes when the stream's read side has ended, cleanly or not */
        CompletionStage<Void> serveSecondary(ByteStream stream);
    }

    PerMessageSender(Function<PeerId, CompletionStage<PeerConnection>> connections, StreamServer server,
            ScheduledExecutorService scheduler, Duration readTimeout, int maxInFlight) {
        this.connections = connections;
        this.server = server;
        this.scheduler = scheduler;
        this.readTimeout = readTimeout;
        this.maxInFlight = maxInFlight;
    }

    /**
     * Sends one frame on a fresh stream.
     *
     * @param peer the peer
     * @param frame the frame
     * @param counters the peer's counters (the send is counted as a fallback send)
     * @return completes when the stream has taken the frame and its FIN; exceptionally with
     *     {@link BackpressureException} when too many are in flight, or a transport error
     */
    public CompletionStage<Void> send(PeerId peer, Frame frame, PeerCounters counters) {
        Semaphore permits = inFlight.computeIfAbsent(peer, p -> new Semaphore(maxInFlight));
        if (!permits.tryAcquire()) {
            return CompletableFuture.failedFuture(new BackpressureException(peer, "per-message sends in flight at the limit of "
                    + maxInFlight + " while reconnecting"));
        }
        EncodedFrame encoded = EncodedFrame.of(frame);
        CompletableFuture<Void> done = connections.apply(peer)
                .thenCompose(PeerConnection::openStream)
                .thenCompose(stream -> stream.write(encoded.buffer())
                        .thenCompose(v -> stream.finish())
                        .thenApply(v -> {
                            counters.fallbackSends.incrementAndGet();
                            counters.bytesSent.addAndGet(encoded.bytes().length);
                            counters.framesSent.incrementAndGet(encoded.typeCode());
                            // Bound the wait for the peer to finish its side.
                            var timeout = scheduler.schedule(() -> stream.reset(0), readTimeout.toMillis(), TimeUnit.MILLISECONDS);
                            server.serveSecondary(stream).whenComplete((x, y) -> timeout.cancel(false));
                            return (Void) null;
                        }))
                .toCompletableFuture();
        done.whenComplete((v, e) -> permits.release());
        return done;
    }

    /** @param peer a departed peer: its in-flight bound is released (a send still in flight keeps its own) */
    void forget(PeerId peer) {
        inFlight.remove(peer);
    }

    /** @return peers with an in-flight bound held (for the state-size pin) */
    int peersHeld() {
        return inFlight.size();
    }

}
