package io.peat.tck;

import io.peat.spi.ByteStream;
import io.peat.spi.internal.CompletionCauses;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads one stream to its end without a thread of its own: each read is issued from the
 * completion of the previous one (never blocking the transport thread it runs on), and the bytes
 * are collected for the test thread. Thread-safe: started and joined on the test thread, fed on
 * transport threads.
 */
final class StreamReader {
    private final ByteStream stream;
    private final String what;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final AtomicLong received = new AtomicLong();
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();

    private StreamReader(ByteStream stream, String what) {
        this.stream = stream;
        this.what = what;
    }

    /**
     * Starts reading a stream to its end.
     *
     * @param stream the stream
     * @param what whose read it is, for failure messages ("a's read of stream 4")
     * @return the running reader
     */
    static StreamReader start(ByteStream stream, String what) {
        StreamReader r = new StreamReader(stream, what);
        r.pump();
        return r;
    }

    /** @return bytes received so far; moves while the transport delivers */
    long received() {
        return received.get();
    }

    /** Issues reads until one is pending; loops instead of recursing on reads that complete at once. */
    private void pump() {
        while (!result.isDone()) {
            CompletableFuture<Optional<ByteBuffer>> f;
            try {
                f = stream.read().toCompletableFuture();
            } catch (RuntimeException e) {
                result.completeExceptionally(new AssertionError(what + ": read() threw after " + received.get() + " bytes: " + e, e));
                return;
            }
            if (!f.isDone()) {
                f.whenComplete((chunk, error) -> {
                    if (take(chunk, error)) {
                        pump();
                    }
                });
                return;
            }
            Optional<ByteBuffer> chunk = null;
            Throwable error = null;
            try {
                chunk = f.join();
            } catch (RuntimeException e) {
                error = e;
            }
            if (!take(chunk, error)) {
                return;
            }
        }
    }

    /** @return true to read on */
    private boolean take(Optional<ByteBuffer> chunk, Throwable error) {
        if (error != null) {
            Throwable cause = CompletionCauses.unwrap(error);
            result.completeExceptionally(new AssertionError(what + ": read failed after " + received.get() + " bytes, before"
                    + " the end of stream: " + cause, cause));
            return false;
        }
        if (chunk == null || chunk.isEmpty()) {
            synchronized (bytes) {
                result.complete(bytes.toByteArray());
            }
            return false;
        }
        ByteBuffer b = chunk.get();
        if (!b.hasRemaining()) {
            result.completeExceptionally(new AssertionError(what + ": a read returned an empty chunk after " + received.get()
                    + " bytes; a read returns at least one byte or Optional.empty() at the end of stream"));
            return false;
        }
        byte[] a = new byte[b.remaining()];
        b.get(a);
        synchronized (bytes) {
            bytes.write(a, 0, a.length);
        }
        received.addAndGet(a.length);
        return true;
    }

    /**
     * Waits for the end of stream, for as long as bytes keep arriving: fails only after
     * {@link TckTimeouts#await()} with no new byte and no end.
     *
     * @return every byte read, up to the clean end of stream
     * @throws AssertionError when a read fails or the stream does not end
     */
    byte[] join() {
        return join(this::received);
    }

    /**
     * As {@link #join()}, also renewing the wait while {@code progress} moves.
     *
     * @param progress another counter of the transport's work
     * @return every byte read
     */
    byte[] join(java.util.function.LongSupplier progress) {
        Duration budget = TckTimeouts.await();
        long seen = received.get() + progress.getAsLong();
        while (true) {
            try {
                return result.get(budget.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                long now = received.get() + progress.getAsLong();
                if (now == seen) {
                    throw new AssertionError(what + ": the stream did not end within " + budget + " of the last progress ("
                            + received.get() + " bytes received, no end of stream)");
                }
                seen = now;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while " + what, e);
            } catch (Exception e) {
                Throwable cause = CompletionCauses.unwrap(e);
                if (cause instanceof AssertionError ae) {
                    throw ae;
                }
                throw new AssertionError(what + ": " + cause, cause);
            }
        }
    }

    /** @return a stage completed with every byte at the end of stream */
    CompletionStage<byte[]> result() {
        return result.copy();
    }
}
