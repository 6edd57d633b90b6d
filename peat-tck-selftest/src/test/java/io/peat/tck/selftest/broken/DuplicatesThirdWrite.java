package io.peat.tck.selftest.broken;

import io.peat.spi.ByteStream;
import io.peat.spi.PeerConnection;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Breaks T3.6 and T3.1 (each write arrives once, whole, in order): the 3rd write on each stream is
 * passed on twice, so the peer reads its bytes two times over.
 */
final class DuplicatesThirdWrite extends ForwardingStream {
    private final AtomicInteger writes = new AtomicInteger();

    DuplicatesThirdWrite(ByteStream delegate, PeerConnection connection) {
        super(delegate, connection);
    }

    @Override
    public CompletionStage<Void> write(ByteBuffer data) {
        if (writes.incrementAndGet() != 3) {
            return delegate().write(data);
        }
        ByteBuffer copy = ByteBuffer.allocate(data.remaining()).put(data.duplicate()).flip();
        delegate().write(data);
        return delegate().write(copy);
    }
}
