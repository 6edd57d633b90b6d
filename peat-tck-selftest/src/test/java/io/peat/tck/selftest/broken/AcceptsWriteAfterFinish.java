package io.peat.tck.selftest.broken;

import io.peat.spi.ByteStream;
import io.peat.spi.PeerConnection;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Breaks T6.2 (a write after {@code finish()} fails with IllegalStateException): once finished,
 * writes are dropped and reported as taken.
 */
final class AcceptsWriteAfterFinish extends ForwardingStream {
    private volatile boolean finished;

    AcceptsWriteAfterFinish(ByteStream delegate, PeerConnection connection) {
        super(delegate, connection);
    }

    @Override
    public CompletionStage<Void> write(ByteBuffer data) {
        return finished ? CompletableFuture.completedFuture(null) : delegate().write(data);
    }

    @Override
    public CompletionStage<Void> finish() {
        finished = true;
        return delegate().finish();
    }
}
