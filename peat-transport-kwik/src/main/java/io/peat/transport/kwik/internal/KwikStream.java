package io.peat.transport.kwik.internal;

import io.peat.spi.ByteStream;
import io.peat.spi.ConnectionClosedException;
import io.peat.spi.PeerConnection;
import io.peat.spi.StreamResetException;
import io.peat.spi.TransportException;
import io.peat.transport.kwik.KwikProperties;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import tech.kwik.core.QuicStream;

/**
 * A Kwik {@link QuicStream} as an SPI {@link ByteStream}. Kwik's streams are blocking java.io streams, so each
 * direction gets a worker on the transport's executor while it has work: the writer drains the queue of writes in
 * call order (a write completes when Kwik's {@code OutputStream.write} returned: Kwik copied the bytes into its
 * bounded send buffer, which is its backpressure); the reader runs one blocking read per SPI {@link #read()} call
 * (no read-ahead, so a reader that does not read withholds credit).
 *
 * <p>Kwik stall workaround: the watchdog calls {@link #checkStall} periodically (see KWIK-STALL.md).
 */
final class KwikStream implements ByteStream {

    /** Largest chunk handed to Kwik in one call: below half of Kwik's 50 KB send buffer, so progress is fine-grained. */
    static final int CHUNK = 16 * 1024;
    private static final int READ_BUFFER = 64 * 1024;

    private final KwikConnection connection;
    private final QuicStream stream;
    private final boolean locallyInitiated;
    private final long id;

    private final Object lock = new Object();
    private final ArrayDeque<Op> writes = new ArrayDeque<>();
    private boolean writerRunning;
    private boolean finishQueued;
    private boolean finSent;
    private boolean eofRead;
    private CompletableFuture<Optional<ByteBuffer>> pendingRead;
    /** The terminal failure of both directions (local reset or connection closed), or null. */
    private RuntimeException failure;
    private volatile InputStream in;
    private volatile OutputStream out;

    // Stall watchdog state, written by the writer worker.
    private volatile boolean writeInKwik;
    private volatile long lastWriteProgressNanos = System.nanoTime();
    private volatile long lastNudgeNanos;
    private volatile int nudges;
    // Send-request repair state (KwikSendKick), written by the watchdog thread only.
    private int stuckChecks;
    private volatile long lastPendingNanos = System.nanoTime();
    private volatile int kicks;
    /** How long a finished stream stays watched after Kwik last had something to send or retransmit on it. */
    static final long DRAIN_QUIET_NANOS = TimeUnit.SECONDS.toNanos(10);

    private record Op(byte[] data, int offset, int length, boolean fin, CompletableFuture<Void> done) {
    }

    KwikStream(KwikConnection connection, QuicStream stream, boolean locallyInitiated) {
        this.connection = connection;
        this.stream = stream;
        this.locallyInitiated = locallyInitiated;
        this.id = stream.getStreamId();
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
        return locallyInitiated;
    }

    @Override
    public CompletionStage<Void> write(ByteBuffer data) {
        int n = data.remaining();
        byte[] bytes;
        int off;
        if (data.hasArray()) {
            bytes = data.array();
            off = data.arrayOffset() + data.position();
        } else {
            bytes = new byte[n];
            data.get(bytes);
            off = 0;
        }
        return enqueue(new Op(bytes, off, n, false, new CompletableFuture<>()));
    }

    @Override
    public CompletionStage<Void> finish() {
        synchronized (lock) {
            if (finishQueued && failure == null) {
                return CompletableFuture.completedFuture(null);
            }
        }
        return enqueue(new Op(null, 0, 0, true, new CompletableFuture<>()));
    }

    private CompletionStage<Void> enqueue(Op op) {
        boolean start = false;
        synchronized (lock) {
            if (failure != null) {
                return CompletableFuture.failedFuture(failure);
            }
            if (finishQueued) {
                if (op.fin) {
                    return CompletableFuture.completedFuture(null);
                }
                return CompletableFuture.failedFuture(new IllegalStateException("stream " + id + " with "
                        + connection.remotePeerId() + " is already finished; no more bytes can be written"));
            }
            if (!op.fin && op.length == 0) {
                return CompletableFuture.completedFuture(null);
            }
            if (op.fin) {
                finishQueued = true;
            }
            writes.add(op);
            if (!writerRunning) {
                writerRunning = true;
                start = true;
            }
        }
        if (start && !connection.execute(this::drainWrites)) {
            failAll(connection.closedException());
        }
        return op.done;
    }

    /** @return Kwik's output stream of this stream (for the watchdog, and for tests that inspect Kwik's state) */
    OutputStream out() {
        OutputStream o = out;
        if (o == null) {
            o = stream.getOutputStream();
            out = o;
        }
        return o;
    }

    private InputStream in() {
        InputStream i = in;
        if (i == null) {
            i = stream.getInputStream();
            in = i;
        }
        return i;
    }

    /** The writer worker: runs while there are writes queued. */
    private void drainWrites() {
        while (true) {
            Op op;
            synchronized (lock) {
                op = writes.poll();
                if (op == null || failure != null) {
                    writerRunning = false;
                    if (op != null) {
                        op.done.completeExceptionally(failure);
                    }
                    return;
                }
            }
            try {
                OutputStream o = out();
                if (op.fin) {
                    o.close();
                    synchronized (lock) {
                        finSent = true;
                    }
                    connection.streamMaybeDone(this);
                } else {
                    for (int at = 0; at < op.length; at += CHUNK) {
                        int len = Math.min(CHUNK, op.length - at);
                        lastWriteProgressNanos = System.nanoTime();
                        connection.streamActivity();
                        writeInKwik = true;
                        try {
                            o.write(op.data, op.offset + at, len);
                        } finally {
                            writeInKwik = false;
                            Thread.interrupted(); // Kwik interrupts blocked writers on reset/abort
                        }
                        lastWriteProgressNanos = System.nanoTime();
                        nudges = 0;
                    }
                }
                op.done.complete(null);
            } catch (IOException | RuntimeException e) {
                Thread.interrupted();
                RuntimeException mapped = mapWriteFailure(e);
                op.done.completeExceptionally(mapped);
                failWrites(mapped);
            }
        }
    }

    private RuntimeException mapWriteFailure(Exception e) {
        synchronized (lock) {
            if (failure != null) {
                return failure;
            }
        }
        if (!connection.isOpen() || isConnectionAbort(e)) {
            return connection.awaitClosedException();
        }
        // Kwik resets the output when the peer sends STOP_SENDING (the peer reset the stream).
        return new StreamResetException(connection.remotePeerId(), id, 0, true);
    }

    private static boolean isConnectionAbort(Exception e) {
        String m = String.valueOf(e.getMessage());
        return m.contains("connection is closed") || m.contains("Connection closed") || m.contains("aborted");
    }

    private void failWrites(RuntimeException e) {
        ArrayDeque<Op> drop;
        synchronized (lock) {
            drop = new ArrayDeque<>(writes);
            writes.clear();
        }
        drop.forEach(op -> op.done.completeExceptionally(e));
    }

    @Override
    public void reset(long errorCode) {
        synchronized (lock) {
            if (failure != null || (finSent && eofRead)) {
                return;
            }
            failure = new StreamResetException(connection.remotePeerId(), id, errorCode, false);
        }
        failAll(failure);
        try {
            stream.resetStream(errorCode);
        } catch (RuntimeException ignored) {
            // already closed
        }
        try {
            stream.abortReading(errorCode);
        } catch (RuntimeException ignored) {
            // already closed
        }
        connection.streamDone(this);
    }

    /** Fails pending and later operations with {@code e} (connection closed or local reset). */
    void terminate(RuntimeException e) {
        synchronized (lock) {
            if (failure == null) {
                failure = e;
            }
        }
        failAll(e);
    }

    private void failAll(RuntimeException e) {
        CompletableFuture<Optional<ByteBuffer>> r;
        synchronized (lock) {
            r = pendingRead;
            pendingRead = null;
        }
        failWrites(e);
        if (r != null) {
            r.completeExceptionally(e);
        }
    }

    @Override
    public CompletionStage<Optional<ByteBuffer>> read() {
        CompletableFuture<Optional<ByteBuffer>> f;
        synchronized (lock) {
            if (pendingRead != null) {
                throw new IllegalStateException("a read is already outstanding on stream " + id + " with " + connection.remotePeerId());
            }
            if (failure != null) {
                return CompletableFuture.failedFuture(failure);
            }
            if (eofRead) {
                return CompletableFuture.completedFuture(Optional.empty());
            }
            f = new CompletableFuture<>();
            pendingRead = f;
        }
        if (!connection.execute(() -> doRead(f))) {
            terminate(connection.closedException());
        }
        return f;
    }

    private void doRead(CompletableFuture<Optional<ByteBuffer>> f) {
        byte[] buf = new byte[READ_BUFFER];
        int n;
        try {
            n = in().read(buf, 0, buf.length);
            connection.streamActivity();
        } catch (IOException | RuntimeException e) {
            Thread.interrupted();
            RuntimeException mapped;
            synchronized (lock) {
                mapped = failure;
            }
            if (mapped == null) {
                String m = String.valueOf(e.getMessage());
                if (m.contains("reset by peer")) {
                    mapped = new StreamResetException(connection.remotePeerId(), id, 0, true);
                } else if (!connection.isOpen() || m.contains("Connection closed")) {
                    mapped = connection.awaitClosedException();
                } else {
                    mapped = new TransportException("read on stream " + id + " with " + connection.remotePeerId() + " failed: " + e, e);
                }
            }
            completeRead(f, null, mapped);
            return;
        }
        Thread.interrupted();
        if (n < 0) {
            synchronized (lock) {
                eofRead = true;
            }
            completeRead(f, Optional.empty(), null);
            connection.streamMaybeDone(this);
        } else {
            ByteBuffer b = n < READ_BUFFER / 2 ? ByteBuffer.wrap(Arrays.copyOf(buf, n)) : ByteBuffer.wrap(buf, 0, n);
            completeRead(f, Optional.of(b), null);
        }
    }

    private void completeRead(CompletableFuture<Optional<ByteBuffer>> f, Optional<ByteBuffer> value, RuntimeException e) {
        synchronized (lock) {
            if (pendingRead == f) {
                pendingRead = null;
            }
        }
        if (e != null) {
            f.completeExceptionally(e);
        } else {
            f.complete(value);
        }
    }

    boolean closedBothWays() {
        synchronized (lock) {
            return failure != null || (finSent && eofRead);
        }
    }

    /**
     * Repairs Kwik's lost send request directly (KWIK-STALL.md, {@link KwikSendKick}): when Kwik has bytes, the FIN or a
     * lost frame to send on this stream but counts no send request for it on two watchdog checks in a row, queue one.
     * Covers what the zero-byte nudge cannot: the tail and the FIN after our writer returned (or after {@code close()})
     * and retransmissions. A stream blocked by flow control looks the same; its extra request sends nothing.
     *
     * @return true when the repair is available for this stream (the zero-byte nudge is then not needed)
     */
    private boolean kickIfStuck(long nowNanos, boolean repair) {
        OutputStream o = out;
        if (!repair || o == null || !KwikSendKick.applies(o)) {
            return false;
        }
        KwikSendKick.State st = KwikSendKick.state(o);
        if (st == KwikSendKick.State.UNKNOWN) {
            return false;
        }
        if (st == KwikSendKick.State.NONE) {
            stuckChecks = 0;
            return true;
        }
        lastPendingNanos = nowNanos;
        if (st == KwikSendKick.State.STUCK) {
            if (++stuckChecks >= 2) {
                stuckChecks = 0;
                kicks++;
                KwikSendKick.kick(o);
            }
        } else {
            stuckChecks = 0;
        }
        return true;
    }

    /** Whether to keep watching this stream after it is done with: its output may still need Kwik's repair. */
    boolean startDrain(long nowNanos) {
        synchronized (lock) {
            if (failure != null) {
                return false; // reset or closed: Kwik discards what is left
            }
        }
        lastPendingNanos = nowNanos;
        return KwikSendKick.applies(out);
    }

    /**
     * The watchdog for a stream that is done on our side (FIN written, EOF read) while Kwik may still have to send its
     * tail, FIN or a retransmission. @return false when it can be forgotten: nothing pending for {@link #DRAIN_QUIET_NANOS}
     */
    boolean checkDrain(long nowNanos, boolean repair) {
        synchronized (lock) {
            if (failure != null) {
                return false;
            }
        }
        if (!kickIfStuck(nowNanos, repair)) {
            return false;
        }
        return nowNanos - lastPendingNanos < DRAIN_QUIET_NANOS;
    }

    /**
     * The stall watchdog. A writer blocked in Kwik's {@code SendBuffer.write} without progress may be the victim of
     * Kwik's lost send request (KWIK-STALL.md): a write of zero bytes from another thread makes Kwik queue a new
     * send request for the stream ({@code StreamOutputStreamImpl.scheduleSendStreamFrameRequest}), which sends what is
     * buffered or waiting for retransmission. It is safe only while our writer is blocked with a chunk of more than
     * zero bytes, which Kwik appends after the empty buffer (an empty buffer directly before the FIN would keep Kwik
     * from ever sending the FIN). If the write still makes no progress for {@code stallTimeout}, the stream is reset.
     */
    void checkStall(long nowNanos, long nudgeNanos, long stallNanos, boolean repair) {
        boolean repairable = kickIfStuck(nowNanos, repair);
        if (!writeInKwik) {
            return;
        }
        long idle = nowNanos - lastWriteProgressNanos;
        if (!repairable && idle >= nudgeNanos && nowNanos - lastNudgeNanos >= nudgeNanos) {
            lastNudgeNanos = nowNanos;
            nudges++;
            connection.execute(() -> {
                try {
                    if (writeInKwik) {
                        out().write(new byte[0], 0, 0);
                    }
                } catch (IOException | RuntimeException ignored) {
                    // the stream ended meanwhile
                }
                Thread.interrupted();
            });
        }
        if (stallNanos > 0 && idle >= stallNanos) {
            RuntimeException e;
            synchronized (lock) {
                if (failure != null) {
                    return;
                }
                failure = new StreamResetException(connection.remotePeerId(), id, KwikProperties.STALL_RESET_CODE, false);
                e = failure;
            }
            KwikTransport.LOG.log(System.Logger.Level.WARNING, "stream " + id + " with " + connection.remotePeerId()
                    + ": a write made no progress for " + TimeUnit.NANOSECONDS.toMillis(idle) + " ms after " + nudges
                    + " nudges and " + kicks + " send-request repairs; resetting it (code " + KwikProperties.STALL_RESET_CODE + ") so the sync layer recovers");
            failAll(e);
            try {
                stream.resetStream(KwikProperties.STALL_RESET_CODE);
                stream.abortReading(KwikProperties.STALL_RESET_CODE);
            } catch (RuntimeException ignored) {
                // closed meanwhile
            }
            connection.streamDone(this);
        }
    }

    @Override
    public String toString() {
        return "KwikStream[" + id + " with " + connection.remotePeerId() + "]";
    }
}
