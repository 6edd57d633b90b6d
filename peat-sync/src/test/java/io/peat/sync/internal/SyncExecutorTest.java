package io.peat.sync.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peat.spi.PeatException;
import io.peat.sync.NodeClosedException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SyncExecutorTest {
    private final SyncExecutor executor = new SyncExecutor("test", 4);

    @AfterEach
    void close() {
        executor.close();
    }

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }

    private static Throwable failure(CompletableFuture<?> f) {
        return assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS)).getCause();
    }

    /** Holds the executor thread until the returned latch is counted down. */
    private CountDownLatch hold() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        executor.local(() -> {
            running.countDown();
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        });
        assertTrue(running.await(10, TimeUnit.SECONDS));
        return release;
    }

    @Test
    void tasksRunOnTheExecutorThreadWhichCanAssertIt() throws Exception {
        assertEquals("peat-sync-test", get(executor.local(() -> {
            executor.assertOnThread();
            return Thread.currentThread().getName();
        })));
        assertTrue(get(executor.inbound(executor::isOnThread)));
        IllegalStateException e = assertThrows(IllegalStateException.class, executor::assertOnThread);
        assertTrue(e.getMessage().contains("peat-sync-test"), e.getMessage());
    }

    @Test
    void theLocalLaneRefusesBeyondItsCapacityAndTheInboundLaneNever() throws Exception {
        CountDownLatch release = hold();
        List<CompletableFuture<Integer>> local = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            int n = i;
            local.add(executor.local(() -> n));
        }
        Throwable refused = failure(executor.local(() -> 99));
        assertInstanceOf(PeatException.class, refused);
        assertTrue(refused.getMessage().contains("4 local tasks") && refused.getMessage().contains("coordinatorQueue"),
                refused.getMessage());
        List<CompletableFuture<Integer>> inbound = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            int n = i;
            inbound.add(executor.inbound(() -> n));
        }
        assertEquals(1000, executor.inboundDepth());

        release.countDown();
        for (int i = 0; i < 4; i++) {
            assertEquals(i, get(local.get(i)));
        }
        for (int i = 0; i < 1000; i++) {
            assertEquals(i, get(inbound.get(i)));
        }
    }

    @Test
    void whenBothLanesHaveWorkTheyTakeTurns() throws Exception {
        CountDownLatch release = hold();
        List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            int n = i;
            all.add(executor.local(() -> order.add("L" + n)));
        }
        for (int i = 0; i < 4; i++) {
            int n = i;
            all.add(executor.inbound(() -> order.add("I" + n)));
        }
        release.countDown();
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        for (int i = 1; i < order.size(); i++) {
            assertTrue(order.get(i).charAt(0) != order.get(i - 1).charAt(0), "lanes alternate: " + order);
        }
        assertEquals(8, order.size());
    }

    @Test
    void closeRunsWhatWasQueuedThenItsLastTaskAndRefusesTheRest() throws Exception {
        CountDownLatch release = hold();
        List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();
        CompletableFuture<Boolean> queued = executor.inbound(() -> order.add("queued"));
        CompletableFuture<Boolean> closed = CompletableFuture.supplyAsync(() -> executor.closeAfter(() -> order.add("last"), 10_000));
        TckLikeWait.until(executor::isClosed);
        Throwable refused = failure(executor.inbound(() -> "late"));
        assertInstanceOf(NodeClosedException.class, refused);

        release.countDown();
        assertTrue(get(closed), "the thread ended");
        assertTrue(get(queued));
        assertEquals(List.of("queued", "last"), order);
    }

    /** Polls with a deadline. */
    static final class TckLikeWait {
        static void until(java.util.function.BooleanSupplier c) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!c.getAsBoolean()) {
                assertTrue(System.nanoTime() < deadline, "condition not met within 10 s");
                TimeUnit.MILLISECONDS.sleep(1);
            }
        }
    }
}
