package io.peat.sync.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peat.spi.PeerId;
import io.peat.sync.DocKey;
import io.peat.sync.ListenerRegistration;
import io.peat.sync.RemoteChange;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RemoteChangeListenersTest {
    private static final PeerId A = PeerId.of("a");
    private static final PeerId B = PeerId.of("b");
    private final ExecutorService pool = Executors.newSingleThreadExecutor();
    private final RemoteChangeListeners listeners = new RemoteChangeListeners();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    private static RemoteChange change(int doc, PeerId from, boolean created, long at) {
        return new RemoteChange(DocKey.of("c", "d" + doc), from, created, at, 1);
    }

    @Test
    void eventsArriveInTheOrderTheyWereApplied() throws Exception {
        LinkedBlockingQueue<RemoteChange> got = new LinkedBlockingQueue<>();
        listeners.add(got::add, pool);
        int n = RemoteChangeListeners.BATCH * 3 + 7; // more than one drain task
        for (int i = 0; i < n; i++) {
            listeners.publish(change(i, A, true, i));
        }
        for (int i = 0; i < n; i++) {
            RemoteChange c = got.poll(10, TimeUnit.SECONDS);
            assertEquals(DocKey.of("c", "d" + i), c == null ? null : c.key(), "event " + i);
        }
    }

    @Test
    void aListenerThatFallsBehindGetsOneMergedEventPerDocument() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocked = new CountDownLatch(1);
        List<RemoteChange> got = new ArrayList<>();
        CountDownLatch all = new CountDownLatch(3);
        listeners.add(c -> {
            blocked.countDown();
            await(release);
            synchronized (got) {
                got.add(c);
            }
            all.countDown();
        }, pool);
        listeners.publish(change(0, A, true, 10)); // handed over at once; the listener blocks in it
        assertTrue(blocked.await(10, TimeUnit.SECONDS), "first event not delivered");
        for (int i = 0; i < 1000; i++) {
            listeners.publish(change(1, i % 2 == 0 ? A : B, i == 0, 100 + i));
        }
        listeners.publish(change(2, B, true, 5000));
        release.countDown();
        assertTrue(all.await(10, TimeUnit.SECONDS), "events after the blocked one not delivered: " + got);
        synchronized (got) {
            assertEquals(3, got.size(), "one event for document 0, one merged for d1, one for d2: " + got);
            RemoteChange merged = got.get(1);
            assertEquals(DocKey.of("c", "d1"), merged.key());
            assertEquals(1000, merged.merged(), "stands for every application");
            assertEquals(100, merged.appliedNanos(), "keeps the first time");
            assertEquals(B, merged.from(), "names the latest peer");
            assertTrue(merged.created(), "created when any of them created it");
            assertEquals(DocKey.of("c", "d2"), got.get(2).key());
        }
    }

    @Test
    void aThrowingListenerIsCalledAgainAndOthersStillHear() throws Exception {
        LinkedBlockingQueue<RemoteChange> calls = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<RemoteChange> other = new LinkedBlockingQueue<>();
        listeners.add(c -> {
            calls.add(c);
            throw new IllegalStateException("listener bug");
        }, pool);
        listeners.add(other::add, Runnable::run);
        listeners.publish(change(0, A, true, 1));
        listeners.publish(change(1, A, true, 2));
        assertEquals(DocKey.of("c", "d0"), calls.poll(10, TimeUnit.SECONDS).key());
        assertEquals(DocKey.of("c", "d1"), calls.poll(10, TimeUnit.SECONDS).key(), "called again after throwing");
        assertEquals(2, other.size(), "the direct listener heard both at once");
    }

    @Test
    void aClosedRegistrationHearsNothingMore() throws Exception {
        LinkedBlockingQueue<RemoteChange> got = new LinkedBlockingQueue<>();
        ListenerRegistration r = listeners.add(got::add, Runnable::run);
        listeners.publish(change(0, A, true, 1));
        r.close();
        r.close();
        listeners.publish(change(1, A, true, 2));
        assertEquals(1, got.size(), "after close: " + got);
        assertTrue(listeners.isEmpty());
    }

    @Test
    void aRefusingExecutorKeepsEventsForTheNextTry() throws Exception {
        LinkedBlockingQueue<RemoteChange> got = new LinkedBlockingQueue<>();
        boolean[] refuse = {true};
        listeners.add(got::add, task -> {
            if (refuse[0]) {
                throw new java.util.concurrent.RejectedExecutionException("full");
            }
            task.run();
        });
        listeners.publish(change(0, A, true, 1));
        assertEquals(0, got.size());
        refuse[0] = false;
        listeners.publish(change(1, A, true, 2));
        assertEquals(2, got.size(), "the refused event is delivered with the next: " + got);
    }

    private static void await(CountDownLatch l) {
        try {
            if (!l.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
