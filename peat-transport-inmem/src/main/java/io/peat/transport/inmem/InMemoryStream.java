package io.peat.transport.inmem;

import io.peat.spi.ByteStream;
import io.peat.spi.PeerConnection;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One side's handle on an in-memory stream. Every method may be called from any thread and never
 * blocks; stages complete on a thread of the owning endpoint, never inside the call. Holds no
 * mutable state of its own: everything lives in the {@link StreamCore}, under the connection lock.
 */
final class InMemoryStream implements ByteStream {

    private final StreamCore core;
    private final InMemoryConnection end;

    InMemoryStream(StreamCore core, InMemoryConnection end) {
        this.core = core;
        this.end = end;
    }

    /** @return the stream id: 4k for streams the dialer opened, 4k+1 for the acceptor's. Any thread. */
    @Override
    public long id() {
        return core.id;
    }

    /** @return this side's connection. Any thread. */
    @Override
    public PeerConnection connection() {
        return end;
    }

    /** @return true when this side opened the stream. Any thread. */
    @Override
    public boolean isLocallyInitiated() {
        return core.opener == end;
    }

    /**
     * Queues bytes (copied as they enter the window); completes once all of them fit in the
     * receiver's window, which may take until the peer reads. Any thread.
     *
     * @throws NullPointerException when {@code data} is null
     */
    @Override
    public CompletionStage<Void> write(ByteBuffer data) {
        Objects.requireNonNull(data, "data");
        Deferred out = new Deferred();
        CompletableFuture<Void> f;
        core.conn.lock.lock();
        try {
            f = core.outbound(end).write(data, out);
        } finally {
            core.conn.lock.unlock();
        }
        out.kick();
        return f;
    }

    /** Queues the FIN after every byte written. Idempotent. Any thread. */
    @Override
    public CompletionStage<Void> finish() {
        Deferred out = new Deferred();
        CompletableFuture<Void> f;
        core.conn.lock.lock();
        try {
            f = core.outbound(end).finish(out);
        } finally {
            core.conn.lock.unlock();
        }
        out.kick();
        return f;
    }

    /** Aborts both directions; the peer sees {@code errorCode}. Idempotent. Any thread. */
    @Override
    public void reset(long errorCode) {
        Deferred out = new Deferred();
        core.conn.lock.lock();
        try {
            core.resetLocked(end, errorCode, out);
        } finally {
            core.conn.lock.unlock();
        }
        out.kick();
    }

    /**
     * Reads the next chunk (at most 64 KiB). Any thread.
     *
     * @throws IllegalStateException when a read is already outstanding
     */
    @Override
    public CompletionStage<Optional<ByteBuffer>> read() {
        Deferred out = new Deferred();
        CompletableFuture<Optional<ByteBuffer>> f;
        core.conn.lock.lock();
        try {
            f = core.inbound(end).read(out);
        } finally {
            core.conn.lock.unlock();
        }
        out.kick();
        return f;
    }

    @Override
    public String toString() {
        return "InMemoryStream[" + core.id + " with " + end.remotePeerId() + " on connection " + core.conn.id + "]";
    }
}
