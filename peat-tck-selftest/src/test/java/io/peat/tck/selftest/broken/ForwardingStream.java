package io.peat.tck.selftest.broken;

import io.peat.spi.ByteStream;
import io.peat.spi.PeerConnection;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * A stream that passes every call to the in-memory stream it wraps, except that {@link #connection()}
 * names the wrapped connection. Breakages that misbehave on a stream extend it and override what they
 * break. Any thread, as the stream it wraps.
 */
class ForwardingStream implements ByteStream {
    private final ByteStream delegate;
    private final PeerConnection connection;

    ForwardingStream(ByteStream delegate, PeerConnection connection) {
        this.delegate = delegate;
        this.connection = connection;
    }

    /** @return the stream this one wraps */
    protected final ByteStream delegate() {
        return delegate;
    }

    @Override
    public long id() {
        return delegate.id();
    }

    @Override
    public PeerConnection connection() {
        return connection;
    }

    @Override
    public boolean isLocallyInitiated() {
        return delegate.isLocallyInitiated();
    }

    @Override
    public CompletionStage<Void> write(ByteBuffer data) {
        return delegate.write(data);
    }

    @Override
    public CompletionStage<Void> finish() {
        return delegate.finish();
    }

    @Override
    public void reset(long errorCode) {
        delegate.reset(errorCode);
    }

    @Override
    public CompletionStage<Optional<ByteBuffer>> read() {
        return delegate.read();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + delegate + "]";
    }
}
