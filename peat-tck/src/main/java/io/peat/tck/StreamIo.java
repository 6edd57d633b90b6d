package io.peat.tck;

import io.peat.spi.internal.CompletionCauses;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;

/**
 * Bounded waits on transport stages for the transport clauses, failing with messages in transport
 * terms ("write 3 of 2000 did not complete within PT30S"). Every wait ends by
 * {@link TckTimeouts#await()} at the latest (or that long after the last progress, where a
 * progress counter is given). Stateless; called on the JUnit test thread.
 */
final class StreamIo {
    private StreamIo() {
    }

    /**
     * Waits for a stage to complete normally.
     *
     * @param stage the stage
     * @param what what the stage is, for the failure message ("b's write of 10 MiB")
     * @param <T> its result type
     * @return its result
     * @throws AssertionError when it does not complete within {@link TckTimeouts#await()} or fails
     */
    static <T> T done(CompletionStage<T> stage, String what) {
        return done(stage, what, () -> 0);
    }

    /**
     * Waits for a stage to complete normally, for as long as {@code progress} keeps moving: the
     * wait fails only after {@link TckTimeouts#await()} without the stage completing or the
     * counter changing.
     *
     * @param stage the stage
     * @param what what the stage is
     * @param progress a counter that moves while the transport is still working (e.g. bytes read)
     * @param <T> its result type
     * @return its result
     */
    static <T> T done(CompletionStage<T> stage, String what, LongSupplier progress) {
        CompletableFuture<T> f = stage.toCompletableFuture();
        Duration budget = TckTimeouts.await();
        long seen = progress.getAsLong();
        while (true) {
            try {
                return f.get(budget.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                long now = progress.getAsLong();
                if (now == seen) {
                    throw new AssertionError(what + " did not complete within " + budget);
                }
                seen = now;
            } catch (ExecutionException | CancellationException e) {
                Throwable cause = CompletionCauses.unwrap(e);
                if (cause instanceof AssertionError ae) {
                    throw ae;
                }
                throw new AssertionError(what + " failed: " + cause, cause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }

    /**
     * Waits for every stage, within one budget of {@link TckTimeouts#await()} (renewed while
     * {@code progress} moves), and names the first that did not complete or failed.
     *
     * @param stages the stages, in call order
     * @param name names stage i, e.g. {@code i -> "write " + (i + 1) + " of 2000"}
     * @param progress a counter that moves while the transport is still working
     */
    static void allDone(List<? extends CompletionStage<?>> stages, IntFunction<String> name, LongSupplier progress) {
        Duration budget = TckTimeouts.await();
        long deadline = System.nanoTime() + budget.toNanos();
        long seen = progress.getAsLong();
        for (int i = 0; i < stages.size(); i++) {
            CompletableFuture<?> f = stages.get(i).toCompletableFuture();
            while (true) {
                long left = deadline - System.nanoTime();
                try {
                    f.get(Math.max(0, left), TimeUnit.NANOSECONDS);
                    break;
                } catch (TimeoutException e) {
                    long now = progress.getAsLong();
                    if (now == seen) {
                        throw new AssertionError(name.apply(i) + " did not complete within " + budget
                                + " (" + countDone(stages) + " of " + stages.size() + " completed)");
                    }
                    seen = now;
                    deadline = System.nanoTime() + budget.toNanos();
                } catch (ExecutionException | CancellationException e) {
                    Throwable cause = CompletionCauses.unwrap(e);
                    throw new AssertionError(name.apply(i) + " failed: " + cause, cause);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while waiting for " + name.apply(i), e);
                }
            }
        }
    }

    private static long countDone(List<? extends CompletionStage<?>> stages) {
        return stages.stream().filter(s -> s.toCompletableFuture().isDone()).count();
    }

    /**
     * Waits for a stage to fail with {@code type}.
     *
     * @param stage the stage
     * @param type the exception it must fail with
     * @param what what the stage is, for the failure message ("a's pending read after b closed the connection")
     * @param <X> the exception type
     * @return the exception
     * @throws AssertionError when the stage completes normally, fails otherwise, or does not complete in time
     */
    static <X extends Throwable> X fails(CompletionStage<?> stage, Class<X> type, String what) {
        CompletableFuture<?> f = stage.toCompletableFuture();
        Duration budget = TckTimeouts.await();
        Object value;
        try {
            value = f.get(budget.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(what + " did not complete within " + budget + "; it should have failed with "
                    + type.getSimpleName());
        } catch (ExecutionException | CancellationException e) {
            Throwable cause = CompletionCauses.unwrap(e);
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
            throw new AssertionError(what + " failed with " + cause + ", expected " + type.getSimpleName(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + what, e);
        }
        throw new AssertionError(what + " completed normally" + (value == null ? "" : " (with " + value + ")")
                + ", expected it to fail with " + type.getSimpleName());
    }

    /**
     * Calls an operation that must fail with {@code type}, whether it throws or returns a failed stage.
     *
     * @param op the operation
     * @param type the exception expected
     * @param what what the operation is
     * @param <X> the exception type
     * @return the exception
     */
    static <X extends Throwable> X failsOrThrows(java.util.function.Supplier<? extends CompletionStage<?>> op, Class<X> type,
            String what) {
        CompletionStage<?> stage;
        try {
            stage = op.get();
        } catch (RuntimeException e) {
            if (type.isInstance(e)) {
                return type.cast(e);
            }
            throw new AssertionError(what + " threw " + e + ", expected " + type.getSimpleName(), e);
        }
        return fails(stage, type, what);
    }

    /**
     * @param bytes a byte count
     * @return the count in words ("10 MiB", "64 KiB", "1234 bytes")
     */
    static String size(long bytes) {
        if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        if (bytes >= 1 << 10 && bytes % (1 << 10) == 0) {
            return (bytes >> 10) + " KiB";
        }
        return bytes + " bytes";
    }
}
