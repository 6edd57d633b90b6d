package io.peat.tck.selftest.broken;

import io.peat.spi.ByteStream;
import io.peat.spi.PeerConnection;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Breaks T3.1 and T3.6 (bytes arrive in write order): swaps each pair of consecutive writes. The
 * first of a pair is held (its stage completes at once); the second is passed on, then the first.
 * {@code finish()} passes on a write still held before the FIN, so no byte is lost, only reordered.
 */
final class ReordersWritePairs extends ForwardingStream {
    /** The first write of the current pair, not yet passed on. Guarded by this. */
    private ByteBuffer held;

    ReordersWritePairs(ByteStream delegate, PeerConnection connection) {
        super(delegate, connection);
    }

    @Override
    public synchronized CompletionStage<Void> write(ByteBuffer data) {
        if (held == null) {
            held = data;
            return CompletableFuture.completedFuture(null);
        }
        ByteBuffer first = held;
        held = null;
        delegate().write(data);
        return delegate().write(first);
    }

    @Override
    public synchronized CompletionStage<Void> finish() {
        if (held != null) {
            delegate().write(held);
            held = null;
        }
        return delegate().finish();
    }

    @Override
    public synchronized void reset(long errorCode) {
        held = null;
        delegate().reset(errorCode);
    }
}
