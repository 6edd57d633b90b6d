package io.peat.bench;

import io.peat.spi.internal.DaemonThreadFactory;
import io.peat.sync.DocKey;
import io.peat.sync.SyncBackend;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.automerge.Document;

/**
 * Completes when a document on a node satisfies a condition, checked on each change a peer applies
 * to it (the node's remote-change event, never a polling loop). The check reads the document on
 * the node's sync thread; the listener runs on a thread of its own.
 */
final class Convergence implements AutoCloseable {
    private final ExecutorService listenerThread = Executors.newSingleThreadExecutor(
            r -> DaemonThreadFactory.newDaemonThread("bench-convergence", r));
    private final CompletableFuture<Long> reached = new CompletableFuture<>();

    Convergence(SyncBackend node, DocKey key, Predicate<Document> condition) {
        node.addRemoteChangeListener(c -> {
            if (c.key().equals(key) && !reached.isDone()) {
                node.read(key, condition::test).thenAccept(ok -> {
                    if (ok.orElse(false)) {
                        reached.complete(System.nanoTime());
                    }
                });
            }
        }, listenerThread);
    }

    /** @return System.nanoTime() when the condition first held, or -1 if not within the timeout */
    long await(long timeout, TimeUnit unit) throws InterruptedException {
        long start = System.nanoTime();
        long end = start + unit.toNanos(timeout);
        while (true) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return -1;
            }
            try {
                return reached.get(Math.min(left, TimeUnit.SECONDS.toNanos(10)), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                System.err.printf("  %3.0f s: not there yet%n", (System.nanoTime() - start) / 1e9);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
    }

    @Override
    public void close() {
        listenerThread.shutdownNow();
    }
}
