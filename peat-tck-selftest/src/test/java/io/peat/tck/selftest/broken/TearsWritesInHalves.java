package io.peat.tck.selftest.broken;

import io.peat.spi.ByteStream;
import io.peat.spi.PeerConnection;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Breaks T3.10 (writes from several threads are each kept whole): passes each write on as two
 * separate writes of its halves, with no lock around the pair, the second half only once the
 * transport has taken the first (as a transport that sends in chunks might). Writes made meanwhile,
 * from other threads or by a writer that does not wait, land between the two halves; a writer that
 * waits for each write sees its bytes whole. {@code finish()} waits for every half already started,
 * so no byte is lost, only torn.
 *
 * <p>(Passing the two halves on back to back from the calling thread also tears concurrent writes,
 * but its race window is so narrow that T3.10 missed it in about 1 run of 40.)
 */
final class TearsWritesInHalves extends ForwardingStream {
    /** Completes when every write started so far has been passed on in full (or failed). */
    private final AtomicReference<CompletableFuture<Void>> allPassedOn = new AtomicReference<>(CompletableFuture.completedFuture(null));

    TearsWritesInHalves(ByteStream delegate, PeerConnection connection) {
        super(delegate, connection);
    }

    @Override
    public CompletionStage<Void> write(ByteBuffer data) {
        int half = data.remaining() / 2;
        if (half == 0) {
            return delegate().write(data);
        }
        ByteBuffer first = data.slice(data.position(), half);
        ByteBuffer second = data.slice(data.position() + half, data.remaining() - half);
        // the deliberate bug: between the halves, nothing keeps other writes out
        CompletableFuture<Void> whole = delegate().write(first).thenCompose(v -> delegate().write(second)).toCompletableFuture();
        allPassedOn.accumulateAndGet(whole.exceptionally(e -> null), CompletableFuture::allOf);
        return whole;
    }

    @Override
    public CompletionStage<Void> finish() {
        return allPassedOn.get().thenCompose(v -> delegate().finish());
    }
}
