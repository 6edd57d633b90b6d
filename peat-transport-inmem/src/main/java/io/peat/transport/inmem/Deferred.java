package io.peat.transport.inmem;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Collects the stage completions and callbacks an operation produces while it holds a connection
 * lock, and starts them once the lock is released: nothing user-visible ever runs under an
 * internal lock or inside the call that triggered it.
 *
 * <p>Owned by the one thread performing the operation; not thread-safe. Tasks are appended to the
 * target executor at once (so their order matches the order of the state changes made under the
 * lock); {@link #kick()} must be called after the lock is released.
 */
final class Deferred {

    private final List<SerialExecutor> toKick = new ArrayList<>(2);

    /** Completes {@code future} with {@code value} on {@code end}'s executor. */
    <T> void complete(InMemoryConnection end, CompletableFuture<T> future, T value) {
        run(end.executor(), () -> future.complete(value));
    }

    /** Completes {@code future} exceptionally on {@code end}'s executor. */
    void fail(InMemoryConnection end, CompletableFuture<?> future, Throwable error) {
        run(end.executor(), () -> future.completeExceptionally(error));
    }

    /** Runs {@code task} on {@code executor} after {@link #kick()}, in the order given. */
    void run(SerialExecutor executor, Runnable task) {
        executor.enqueue(task);
        if (!toKick.contains(executor)) {
            toKick.add(executor);
        }
    }

    /** Starts every executor that received tasks. Call with no internal lock held. */
    void kick() {
        for (SerialExecutor e : toKick) {
            e.kick();
        }
        toKick.clear();
    }
}
