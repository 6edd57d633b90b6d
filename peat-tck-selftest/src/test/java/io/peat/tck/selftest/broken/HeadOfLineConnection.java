package io.peat.tck.selftest.broken;

import io.peat.spi.PeerConnection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The connection of {@link Breakage#HOLD_UP_OTHER_STREAMS}: one send queue for all its streams, so
 * a write waits for every earlier write of the connection, on any stream, to be taken (as a
 * transport that multiplexes streams over one ordered pipe without per-stream flow control does).
 */
final class HeadOfLineConnection extends ForwardingConnection {
    // Guarded by this: completes when the connection's last write so far was taken.
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);

    HeadOfLineConnection(PeerConnection delegate, EndpointWrapper endpoint) {
        super(delegate, endpoint);
    }

    /** @return the write, started once every earlier write of the connection was taken */
    synchronized CompletionStage<Void> inTurn(Supplier<CompletionStage<Void>> write) {
        CompletableFuture<Void> mine = tail.handle((v, e) -> null).thenCompose(x -> write.get());
        tail = mine;
        return mine;
    }
}
