package io.peat.tck.selftest.broken;

import io.peat.spi.ByteStream;
import io.peat.spi.PeerConnection;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Breaks T6.5 (a second outstanding {@code read()} is refused): a read made while another is
 * outstanding is queued behind it instead of refused, so two callers race for the same bytes.
 */
final class QueuesASecondRead extends ForwardingStream {
    // Guarded by this.
    private CompletableFuture<Optional<ByteBuffer>> last = CompletableFuture.completedFuture(Optional.empty());

    QueuesASecondRead(ByteStream delegate, PeerConnection connection) {
        super(delegate, connection);
    }

    @Override
    public synchronized CompletionStage<Optional<ByteBuffer>> read() {
        CompletableFuture<Optional<ByteBuffer>> next = last.isDone() ? delegate().read().toCompletableFuture()
                : last.handle((v, e) -> null).thenCompose(x -> delegate().read());
        last = next;
        return next;
    }
}
