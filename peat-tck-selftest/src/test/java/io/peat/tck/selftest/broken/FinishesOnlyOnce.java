package io.peat.tck.selftest.broken;

import io.peat.spi.ByteStream;
import io.peat.spi.PeerConnection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/** Breaks T6.3 ({@code finish()} is idempotent): a second {@code finish()} fails. */
final class FinishesOnlyOnce extends ForwardingStream {
    private final AtomicBoolean finished = new AtomicBoolean();

    FinishesOnlyOnce(ByteStream delegate, PeerConnection connection) {
        super(delegate, connection);
    }

    @Override
    public CompletionStage<Void> finish() {
        if (!finished.compareAndSet(false, true)) {
            return CompletableFuture.failedFuture(new IllegalStateException("stream " + id() + " is already finished"));
        }
        return delegate().finish();
    }
}
