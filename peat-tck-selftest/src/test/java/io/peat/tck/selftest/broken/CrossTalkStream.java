package io.peat.tck.selftest.broken;

import io.peat.spi.ByteStream;
import io.peat.spi.PeerConnection;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Breaks T6.6 (many streams writing at once keep their bytes): once {@value #BUSY} streams of the
 * connection have written and not finished, every 7th later write of a stream goes out on another
 * busy stream, as a transport with a shared, badly locked send path does under load. Streams written
 * and finished one after another (T3.7) never reach that point.
 */
final class CrossTalkStream extends ForwardingStream {
    static final int BUSY = 32;
    private final CrossTalkConnection connection;
    private final AtomicInteger writes = new AtomicInteger();

    CrossTalkStream(ByteStream delegate, PeerConnection connection) {
        super(delegate, connection);
        this.connection = (CrossTalkConnection) connection;
    }

    @Override
    public CompletionStage<Void> write(ByteBuffer data) {
        connection.busy.add(this);
        int n = writes.incrementAndGet();
        if (n > 1 && n % 7 == 0 && connection.busy.size() >= BUSY) {
            for (CrossTalkStream other : connection.busy) {
                if (other != this) {
                    return other.delegate().write(data);
                }
            }
        }
        return delegate().write(data);
    }

    @Override
    public CompletionStage<Void> finish() {
        connection.busy.remove(this);
        return delegate().finish();
    }
}
