package io.peat.tck;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Bounded waits for the kit: every wait ends by {@link TckTimeouts#await()} at the latest, so a
 * hung transport fails a clause instead of hanging the run. Stateless.
 */
public final class TckWaits {
    private TckWaits() {
    }

    /**
     * Waits for a stage.
     *
     * @param stage the stage
     * @param <T> its result type
     * @return its result
     * @throws java.util.concurrent.TimeoutException after {@link TckTimeouts#await()}
     * @throws java.util.concurrent.ExecutionException when the stage failed
     */
    public static <T> T get(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(TckTimeouts.await().toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Polls a condition every 10 ms until it holds.
     *
     * @param what what is awaited, for the failure message
     * @param condition the condition
     * @throws AssertionError after {@link TckTimeouts#await()}
     */
    public static void await(String what, BooleanSupplier condition) {
        await(what, condition, () -> "");
    }

    /**
     * Polls a condition every 10 ms until it holds.
     *
     * @param what what is awaited
     * @param condition the condition
     * @param state describes what was seen, for the failure message
     * @throws AssertionError after {@link TckTimeouts#await()}
     */
    public static void await(String what, BooleanSupplier condition, Supplier<String> state) {
        awaitEvery(Duration.ofMillis(10), what, condition, state);
    }

    /**
     * Polls a condition at a chosen interval until it holds: for conditions that are costly to
     * evaluate (reading a thousand documents).
     *
     * @param every the interval
     * @param what what is awaited
     * @param condition the condition
     * @param state describes what was seen, for the failure message
     * @throws AssertionError after {@link TckTimeouts#await()}
     */
    public static void awaitEvery(Duration every, String what, BooleanSupplier condition, Supplier<String> state) {
        Duration budget = TckTimeouts.await();
        long deadline = System.nanoTime() + budget.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + budget + " waiting for " + what + ". " + state.get());
            }
            LockSupport.parkNanos(every.toNanos());
        }
    }
}
