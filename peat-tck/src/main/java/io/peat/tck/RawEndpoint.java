package io.peat.tck;

import io.peat.spi.ByteStream;
import io.peat.spi.PeerConnection;
import io.peat.spi.SyncTransport;
import io.peat.spi.TransportListener;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A bare endpoint of the transport under test, with no sync layer: the kit uses it to see the raw
 * bytes a backend writes and to write hand-made frames at a backend. Inbound connections and
 * streams are queued (bounded) for the test thread to take.
 */
public final class RawEndpoint implements TransportListener, AutoCloseable {
    private final BlockingQueue<PeerConnection> connections = new LinkedBlockingQueue<>(64);
    private final BlockingQueue<ByteStream> streams = new LinkedBlockingQueue<>(1024);
    private SyncTransport transport;

    RawEndpoint() {
    }

    void bind(SyncTransport transport) {
        this.transport = transport;
    }

    /** @return the endpoint */
    public SyncTransport transport() {
        return transport;
    }

    @Override
    public void onConnection(PeerConnection connection) {
        connections.offer(connection);
    }

    @Override
    public void onStream(ByteStream stream) {
        streams.offer(stream);
    }

    /**
     * @param timeout the longest wait
     * @return the next connection a peer dialed
     * @throws TimeoutException when none arrives in time
     */
    public PeerConnection nextConnection(Duration timeout) throws TimeoutException, InterruptedException {
        PeerConnection c = connections.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (c == null) {
            throw new TimeoutException("no connection was dialed to " + transport.localPeerId() + " within " + timeout);
        }
        return c;
    }

    /**
     * @param timeout the longest wait
     * @return the next stream a peer opened
     * @throws TimeoutException when none arrives in time
     */
    public ByteStream nextStream(Duration timeout) throws TimeoutException, InterruptedException {
        ByteStream s = streams.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (s == null) {
            throw new TimeoutException("no stream was opened toward " + transport.localPeerId() + " within " + timeout);
        }
        return s;
    }

    /**
     * Reads from a stream until at least {@code n} bytes have arrived (or it ends).
     *
     * @param stream the stream
     * @param n bytes wanted
     * @param timeout the longest wait for each read
     * @return the bytes read (at least n, unless the stream ended first)
     */
    public static byte[] readAtLeast(ByteStream stream, int n, Duration timeout) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (out.size() < n) {
            Optional<ByteBuffer> chunk = stream.read().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (chunk.isEmpty()) {
                break;
            }
            ByteBuffer b = chunk.get();
            byte[] a = new byte[b.remaining()];
            b.get(a);
            out.write(a);
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        transport.close();
    }
}
