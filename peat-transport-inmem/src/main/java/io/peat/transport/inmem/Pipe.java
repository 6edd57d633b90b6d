package io.peat.transport.inmem;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One direction of one stream: the sender's queued writes, the bytes in flight on the link, the
 * receiver's buffer and the flow-control window that bounds the last two together.
 *
 * <p>All state is guarded by the connection's lock ({@link ConnectionCore#lock}); every method must
 * be called with it held. Completions and callbacks are handed to a {@link Deferred}, never run
 * here.
 */
final class Pipe {

    /** Largest chunk moved at once, and so the largest buffer a read returns. */
    static final int MAX_CHUNK = 64 * 1024;

    private record PendingWrite(ByteBuffer data, CompletableFuture<Void> future) {
        boolean isFin() {
            return data == null;
        }
    }

    private record Chunk(ByteBuffer data, long deliverAt) {
        boolean isFin() {
            return data == null;
        }
    }

    final StreamCore stream;
    final InMemoryConnection sender;
    final InMemoryConnection receiver;
    private final Link link;
    private final long window;

    // Sender side (guarded by the connection lock).
    private final ArrayDeque<PendingWrite> pending = new ArrayDeque<>();
    private CompletableFuture<Void> finFuture;
    private Throwable sendError;

    // On the link: bytes sent, not yet delivered (guarded by the connection lock).
    private final ArrayDeque<Chunk> inFlight = new ArrayDeque<>();
    /** Bytes in flight plus bytes buffered at the receiver: what the window bounds. */
    private long unconsumed;

    // Receiver side (guarded by the connection lock).
    private final ArrayDeque<ByteBuffer> buffer = new ArrayDeque<>();
    private boolean finReceived;
    private boolean eofRead;
    private Throwable readError;
    private boolean readErrorDiscards;
    private CompletableFuture<Optional<ByteBuffer>> lastRead;
    private CompletableFuture<Optional<ByteBuffer>> pendingRead;

    Pipe(StreamCore stream, InMemoryConnection sender, InMemoryConnection receiver, Link link, long window) {
        this.stream = stream;
        this.sender = sender;
        this.receiver = receiver;
        this.link = link;
        this.window = window;
    }

    /** @return true once the FIN reached the receiver */
    boolean finDelivered() {
        return finReceived;
    }

    /** @return true once the receiver's read returned the end of stream */
    boolean eofRead() {
        return eofRead;
    }

    /** Queues a write by {@link #sender}; see {@link io.peat.spi.ByteStream#write}. */
    CompletableFuture<Void> write(ByteBuffer data, Deferred out) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        ConnectionCore conn = stream.conn;
        if (conn.isClosed()) {
            out.fail(sender, f, conn.closedException(sender));
        } else if (sendError != null) {
            out.fail(sender, f, sendError);
        } else if (finFuture != null) {
            out.fail(sender, f, new IllegalStateException("stream " + stream.id + " to " + sender.remotePeerId()
                    + " was finished; no more bytes can be written"));
        } else if (!data.hasRemaining()) {
            out.complete(sender, f, null);
        } else {
            pending.add(new PendingWrite(data, f));
            progress(out);
        }
        return f;
    }

    /** Queues the FIN after every write; see {@link io.peat.spi.ByteStream#finish}. */
    CompletableFuture<Void> finish(Deferred out) {
        ConnectionCore conn = stream.conn;
        if (conn.isClosed()) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            out.fail(sender, f, conn.closedException(sender));
            return f;
        }
        if (sendError != null) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            out.fail(sender, f, sendError);
            return f;
        }
        if (finFuture == null) {
            finFuture = new CompletableFuture<>();
            pending.add(new PendingWrite(null, finFuture));
            progress(out);
        }
        return finFuture.copy();
    }

    /**
     * Reads for {@link #receiver}; see {@link io.peat.spi.ByteStream#read}.
     *
     * @throws IllegalStateException when a read is outstanding
     */
    CompletableFuture<Optional<ByteBuffer>> read(Deferred out) {
        if (lastRead != null && !lastRead.isDone()) {
            throw new IllegalStateException("a read is already outstanding on stream " + stream.id + " with "
                    + receiver.remotePeerId() + "; wait for it to complete before reading again");
        }
        CompletableFuture<Optional<ByteBuffer>> f = new CompletableFuture<>();
        lastRead = f;
        ConnectionCore conn = stream.conn;
        if (readError != null && readErrorDiscards) {
            out.fail(receiver, f, readError);
        } else if (conn.isClosed() && !conn.wasKilled()) {
            out.fail(receiver, f, conn.closedException(receiver));
        } else if (!buffer.isEmpty()) {
            ByteBuffer b = buffer.poll();
            unconsumed -= b.remaining();
            out.complete(receiver, f, Optional.of(b));
            progress(out);
        } else if (finReceived) {
            eofRead = true;
            out.complete(receiver, f, Optional.empty());
            stream.retireIfDone();
        } else if (readError != null) {
            out.fail(receiver, f, readError);
        } else if (conn.isClosed()) {
            out.fail(receiver, f, conn.closedException(receiver));
        } else {
            pendingRead = f;
        }
        return f;
    }

    /**
     * Ends this direction: fails the sender's queued writes with {@code senderError}, drops what is
     * in flight and fails the receiver's pending and later reads with {@code receiverError}.
     *
     * @param discardDelivered true to drop bytes already delivered but unread; false to let the
     *     receiver read them before it sees the error
     */
    void abort(Throwable senderError, Throwable receiverError, boolean discardDelivered, Deferred out) {
        for (PendingWrite w : pending) {
            out.fail(sender, w.future(), senderError);
        }
        pending.clear();
        if (sendError == null) {
            sendError = senderError;
        }
        inFlight.clear();
        if (discardDelivered) {
            buffer.clear();
        }
        unconsumed = 0;
        for (ByteBuffer b : buffer) {
            unconsumed += b.remaining();
        }
        if (readError == null || (discardDelivered && !readErrorDiscards)) {
            readError = receiverError;
            readErrorDiscards = discardDelivered;
        }
        if (pendingRead != null) {
            out.fail(receiver, pendingRead, readError);
            pendingRead = null;
        }
    }

    /** Moves queued bytes onto the link while the window allows, and delivers what is due. */
    void progress(Deferred out) {
        long now = System.nanoTime();
        boolean moved;
        do {
            moved = send(now, out);
            moved |= deliverDue(now, out);
        } while (moved && !stream.conn.isClosed());
    }

    private boolean send(long now, Deferred out) {
        boolean moved = false;
        while (sendError == null && !pending.isEmpty()) {
            PendingWrite w = pending.peek();
            if (w.isFin()) {
                pending.poll();
                enqueue(new Chunk(null, link.deliverAt(0, now)), now);
                out.complete(sender, w.future(), null);
                moved = true;
                continue;
            }
            long credit = window - unconsumed;
            if (credit <= 0) {
                break;
            }
            ByteBuffer src = w.data();
            int n = (int) Math.min(Math.min(credit, src.remaining()), MAX_CHUNK);
            ByteBuffer copy = ByteBuffer.allocate(n);
            copy.put(src.slice(src.position(), n)).flip();
            src.position(src.position() + n);
            unconsumed += n;
            enqueue(new Chunk(copy, link.deliverAt(n, now)), now);
            if (!src.hasRemaining()) {
                pending.poll();
                out.complete(sender, w.future(), null);
            }
            moved = true;
        }
        return moved;
    }

    private void enqueue(Chunk c, long now) {
        inFlight.add(c);
        if (c.deliverAt() > now) {
            try {
                sender.transport().threads().schedule(() -> stream.conn.onTimer(this), c.deliverAt() - now,
                        TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException closing) {
                // The sender's transport is closing, and with it this connection: nothing to deliver.
            }
        }
    }

    private boolean deliverDue(long now, Deferred out) {
        boolean moved = false;
        while (!inFlight.isEmpty() && inFlight.peek().deliverAt() <= now && !stream.conn.isSilenced()) {
            Chunk c = inFlight.poll();
            moved = true;
            if (c.isFin()) {
                finReceived = true;
                stream.announceTo(receiver, out);
                serveRead(out);
                continue;
            }
            int n = c.data().remaining();
            Link.Admission a = link.admit(n);
            int k = a.bytes();
            unconsumed -= n - k;
            if (k > 0) {
                ByteBuffer part = k == n ? c.data() : c.data().slice(c.data().position(), k);
                buffer.add(part);
                stream.announceTo(receiver, out);
                tap(part, out);
                serveRead(out);
            }
            if (a.fault() == Link.Fault.KILL_CONNECTION) {
                stream.conn.killLocked(out);
                return true;
            }
            if (a.fault() == Link.Fault.RESET_STREAM) {
                stream.networkResetLocked(out);
                return true;
            }
        }
        return moved;
    }

    private void serveRead(Deferred out) {
        if (pendingRead == null) {
            return;
        }
        CompletableFuture<Optional<ByteBuffer>> f = pendingRead;
        if (!buffer.isEmpty()) {
            pendingRead = null;
            ByteBuffer b = buffer.poll();
            unconsumed -= b.remaining();
            out.complete(receiver, f, Optional.of(b));
        } else if (finReceived) {
            pendingRead = null;
            eofRead = true;
            out.complete(receiver, f, Optional.empty());
            stream.retireIfDone();
        }
    }

    private void tap(ByteBuffer part, Deferred out) {
        List<StreamTap> taps = link.taps;
        if (taps.isEmpty()) {
            return;
        }
        ByteBuffer copy = ByteBuffer.allocate(part.remaining());
        copy.put(part.duplicate()).flip();
        ByteBuffer ro = copy.asReadOnlyBuffer();
        Object[] snapshot = taps.toArray();
        long connectionId = stream.conn.id;
        long streamId = stream.id;
        out.run(receiver.executor(), () -> {
            for (Object t : snapshot) {
                receiver.transport().invokeTap((StreamTap) t, connectionId, streamId, ro.duplicate());
            }
        });
    }
}
