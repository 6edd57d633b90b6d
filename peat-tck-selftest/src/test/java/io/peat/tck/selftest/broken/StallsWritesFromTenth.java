package io.peat.tck.selftest.broken;

import io.peat.spi.ByteStream;
import io.peat.spi.PeerConnection;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Breaks T3.6 and T4.1 (a write's stage completes once the transport has taken the bytes): from the
 * 10th write on each stream, the bytes are passed on but the stage returned to the writer never
 * completes, so a writer that waits for each write hangs.
 */
final class StallsWritesFromTenth extends ForwardingStream {
    private final AtomicInteger writes = new AtomicInteger();

    StallsWritesFromTenth(ByteStream delegate, PeerConnection connection) {
        super(delegate, connection);
    }

    @Override
    public CompletionStage<Void> write(ByteBuffer data) {
        CompletionStage<Void> taken = delegate().write(data);
        return writes.incrementAndGet() < 10 ? taken : new CompletableFuture<>(); // never completed
    }
}
