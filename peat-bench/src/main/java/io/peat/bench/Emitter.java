package io.peat.bench;

import io.peat.spi.internal.DaemonThreadFactory;
import io.peat.sync.DocKey;
import io.peat.sync.SyncBackend;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.automerge.ObjectId;

/**
 * Writes a NEW document {@code telemetry:<name>-<seq>} with a payload of random letters at a fixed
 * rate on one node, as SPEC section 6 does, and records each write in the {@link ArrivalLog}s of
 * its receivers. Its own scheduler thread; {@link #await} blocks the caller until the last write was
 * made.
 */
final class Emitter implements AutoCloseable {
    private final ScheduledExecutorService timer;
    private final CountDownLatch done = new CountDownLatch(1);
    private final AtomicInteger seq = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();

    /**
     * @param name the emitter's name in the keys
     * @param node where it writes
     * @param hz writes per second
     * @param count how many writes
     * @param payloadBytes size of each payload
     * @param logs told of each write
     */
    Emitter(String name, SyncBackend node, double hz, int count, int payloadBytes, ArrivalLog... logs) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> DaemonThreadFactory.newDaemonThread("bench-emitter-" + name, r));
        long period = (long) (1e9 / hz);
        timer.scheduleAtFixedRate(() -> {
            int i = seq.getAndIncrement();
            if (i >= count) {
                done.countDown();
                throw new IllegalStateException("done"); // ends the schedule
            }
            DocKey key = DocKey.of("telemetry", name + "-" + i);
            String payload = letters(payloadBytes);
            long now = System.nanoTime();
            for (ArrivalLog l : logs) {
                l.emitted(key, now);
            }
            node.change(key, tx -> {
                tx.set(ObjectId.ROOT, "seq", i);
                tx.set(ObjectId.ROOT, "payload", payload);
            }).whenComplete((v, e) -> {
                if (e != null) {
                    refused.incrementAndGet();
                    for (ArrivalLog l : logs) {
                        l.refused(key);
                    }
                }
            });
        }, 0, period, TimeUnit.NANOSECONDS);
    }

    static String letters(int n) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        char[] c = new char[n];
        for (int i = 0; i < n; i++) {
            c[i] = (char) ('a' + r.nextInt(26));
        }
        return new String(c);
    }

    /** Waits until every write was made. */
    boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        return done.await(timeout, unit);
    }

    long refused() {
        return refused.get();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
