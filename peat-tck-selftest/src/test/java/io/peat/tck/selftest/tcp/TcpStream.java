package io.peat.tck.selftest.tcp;

import io.peat.spi.ByteStream;
import io.peat.spi.PeerConnection;
import io.peat.spi.StreamResetException;
import io.peat.spi.TransportException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One stream of a {@link TcpConnection}, with per-stream flow control: the sender may have at most
 * {@link #WINDOW} bytes unread by the peer's application; the receiver grants more with CREDIT
 * frames as its application reads. A write completes once all its bytes are framed for the wire,
 * so a writer that waits for each write is held back while the reader does not read.
 *
 * <p>Thread-safe: the application calls it from any thread, the connection's reader thread feeds
 * it frames. State is guarded by this object's lock; stages complete on the endpoint's event
 * thread, outside the lock.
 */
final class TcpStream implements ByteStream {
    /** Bytes a sender may have in flight on one stream before the reader reads. */
    static final int WINDOW = 256 * 1024;
    private static final int MAX_DATA = 32 * 1024;

    private record Pending(ByteBuffer data, CompletableFuture<Void> future, boolean fin) {
    }

    private final TcpConnection connection;
    private final long id;
    private final boolean local;

    private final ArrayDeque<Pending> sendQueue = new ArrayDeque<>();
    private long credit = WINDOW;
    private CompletableFuture<Void> finFuture;
    private boolean finSent;

    private final ArrayDeque<ByteBuffer> received = new ArrayDeque<>();
    private boolean remoteFin;
    private CompletableFuture<Optional<ByteBuffer>> pendingRead;
    private int unacknowledged;

    /** Set once: the reset or connection loss every later operation fails with. */
    private TransportException failure;

    TcpStream(TcpConnection connection, long id, boolean local) {
        this.connection = connection;
        this.id = id;
        this.local = local;
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public PeerConnection connection() {
        return connection;
    }

    @Override
    public boolean isLocallyInitiated() {
        return local;
    }

    @Override
    public CompletionStage<Void> write(ByteBuffer data) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        List<CompletableFuture<Void>> done;
        synchronized (this) {
            if (failure != null) {
                return CompletableFuture.failedFuture(failure);
            }
            if (finFuture != null) {
                return CompletableFuture.failedFuture(new IllegalStateException("stream " + id + " to "
                        + connection.remotePeerId() + " is already finished"));
            }
            if (!data.hasRemaining()) {
                return CompletableFuture.completedFuture(null);
            }
            sendQueue.add(new Pending(data, f, false));
            done = pump();
        }
        connection.complete(done);
        return f;
    }

    @Override
    public CompletionStage<Void> finish() {
        List<CompletableFuture<Void>> done;
        CompletableFuture<Void> f;
        synchronized (this) {
            if (finFuture != null) {
                return finFuture;
            }
            if (failure != null) {
                return CompletableFuture.failedFuture(failure);
            }
            f = finFuture = new CompletableFuture<>();
            sendQueue.add(new Pending(null, f, true));
            done = pump();
        }
        connection.complete(done);
        return f;
    }

    @Override
    public void reset(long errorCode) {
        synchronized (this) {
            if (failure != null || (finSent && remoteFin)) {
                return;
            }
            connection.send(Frame.reset(id, errorCode));
        }
        fail(new StreamResetException(connection.remotePeerId(), id, errorCode, false));
    }

    @Override
    public CompletionStage<Optional<ByteBuffer>> read() {
        Frame grant = null;
        CompletableFuture<Optional<ByteBuffer>> f;
        synchronized (this) {
            if (pendingRead != null) {
                throw new IllegalStateException("a read is already outstanding on stream " + id + " to " + connection.remotePeerId());
            }
            if (failure != null) {
                return CompletableFuture.failedFuture(failure);
            }
            f = new CompletableFuture<>();
            if (received.isEmpty() && !remoteFin) {
                pendingRead = f;
                return f;
            }
            ByteBuffer next = received.poll();
            if (next != null) {
                grant = consumed(next.remaining());
            }
            connection.deliver(() -> f.complete(Optional.ofNullable(next)));
        }
        if (grant != null) {
            connection.send(grant);
        }
        return f;
    }

    /** On the reader thread: bytes from the peer. */
    void onData(byte[] bytes) {
        Frame grant = null;
        synchronized (this) {
            if (failure != null || remoteFin) {
                return;
            }
            ByteBuffer b = ByteBuffer.wrap(bytes);
            CompletableFuture<Optional<ByteBuffer>> r = pendingRead;
            if (r == null) {
                received.add(b);
            } else {
                pendingRead = null;
                grant = consumed(b.remaining());
                connection.deliver(() -> r.complete(Optional.of(b)));
            }
        }
        if (grant != null) {
            connection.send(grant);
        }
    }

    /** On the reader thread: the peer finished its direction. */
    void onFin() {
        synchronized (this) {
            if (failure != null || remoteFin) {
                return;
            }
            remoteFin = true;
            CompletableFuture<Optional<ByteBuffer>> r = pendingRead;
            if (r != null) {
                pendingRead = null;
                connection.deliver(() -> r.complete(Optional.empty()));
            }
            retireIfDone();
        }
    }

    /** On the reader thread: the peer may send {@code bytes} more. */
    void onCredit(int bytes) {
        List<CompletableFuture<Void>> done;
        synchronized (this) {
            credit += bytes;
            done = pump();
        }
        connection.complete(done);
    }

    /** On the reader thread: the peer reset the stream. */
    void onReset(long code) {
        fail(new StreamResetException(connection.remotePeerId(), id, code, true));
    }

    /**
     * Fails every pending and later operation with {@code cause} and discards what is buffered;
     * does nothing when the stream has already failed.
     */
    void fail(TransportException cause) {
        List<CompletableFuture<?>> pending = new ArrayList<>();
        synchronized (this) {
            if (failure != null) {
                return;
            }
            failure = cause;
            sendQueue.forEach(p -> pending.add(p.future()));
            sendQueue.clear();
            received.clear();
            if (pendingRead != null) {
                pending.add(pendingRead);
                pendingRead = null;
            }
            connection.retire(this);
        }
        connection.deliver(() -> pending.forEach(p -> p.completeExceptionally(cause)));
    }

    /** Sends what credit allows, in order; @return the writes now fully framed (to complete outside the lock). */
    private List<CompletableFuture<Void>> pump() {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        while (!sendQueue.isEmpty()) {
            Pending p = sendQueue.peek();
            if (p.fin()) {
                connection.send(Frame.fin(id));
                finSent = true;
            } else {
                if (credit <= 0) {
                    break;
                }
                byte[] chunk = new byte[(int) Math.min(Math.min(credit, MAX_DATA), p.data().remaining())];
                p.data().get(chunk);
                credit -= chunk.length;
                connection.send(new Frame(Frame.DATA, id, chunk));
                if (p.data().hasRemaining()) {
                    continue;
                }
            }
            sendQueue.poll();
            done.add(p.future());
        }
        if (finSent) {
            retireIfDone();
        }
        return done;
    }

    /** Counts bytes handed to the application; @return a CREDIT frame to send once a quarter window is read, else null. */
    private Frame consumed(int bytes) {
        unacknowledged += bytes;
        if (unacknowledged < WINDOW / 4) {
            return null;
        }
        Frame f = Frame.credit(id, unacknowledged);
        unacknowledged = 0;
        return f;
    }

    private void retireIfDone() {
        if (finSent && remoteFin) {
            connection.retire(this);
        }
    }

    @Override
    public String toString() {
        return "TcpStream[" + id + " with " + connection.remotePeerId() + "]";
    }
}
