package io.peat.tck.selftest.broken;

import io.peat.spi.ByteStream;
import io.peat.spi.PeerConnection;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Breaks T6.1 (a buffer {@code read()} returned is the caller's): every read copies its chunk into
 * one buffer of the stream's and returns that buffer, so the next read overwrites what the caller
 * still holds, as a transport that hands out views of a pooled buffer does.
 */
final class ReusesReadBuffer extends ForwardingStream {
    // Touched only by the completion of one read at a time (reads never overlap on a stream).
    private ByteBuffer shared = ByteBuffer.allocate(64 * 1024);

    ReusesReadBuffer(ByteStream delegate, PeerConnection connection) {
        super(delegate, connection);
    }

    @Override
    public CompletionStage<Optional<ByteBuffer>> read() {
        return delegate().read().thenApply(chunk -> chunk.map(this::intoShared));
    }

    private ByteBuffer intoShared(ByteBuffer chunk) {
        if (shared.capacity() < chunk.remaining()) {
            shared = ByteBuffer.allocate(chunk.remaining());
        }
        shared.clear();
        shared.put(chunk);
        shared.flip();
        return shared;
    }
}
