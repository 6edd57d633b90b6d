package io.peat.tck.selftest.broken;

import io.peat.spi.ByteStream;
import io.peat.spi.PeerConnection;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Breaks T3.2 (a FIN after the last byte is a clean end): holds each write back until the next write
 * or {@code finish()}; {@code finish()} discards the write held back and then finishes, so the peer
 * sees a clean end of stream that is missing the last write. Each write's stage completes when the
 * write before it has been taken (the first at once), so the writer is not stalled.
 */
final class DropsLastWriteBeforeFin extends ForwardingStream {
    /** The most recent write, not yet passed on. Guarded by this. */
    private ByteBuffer heldBack;

    DropsLastWriteBeforeFin(ByteStream delegate, PeerConnection connection) {
        super(delegate, connection);
    }

    @Override
    public synchronized CompletionStage<Void> write(ByteBuffer data) {
        ByteBuffer previous = heldBack;
        heldBack = data;
        return previous == null ? CompletableFuture.completedFuture(null) : delegate().write(previous);
    }

    @Override
    public synchronized CompletionStage<Void> finish() {
        heldBack = null; // the deliberate bug: the last write is dropped
        return delegate().finish();
    }

    @Override
    public synchronized void reset(long errorCode) {
        heldBack = null;
        delegate().reset(errorCode);
    }
}
