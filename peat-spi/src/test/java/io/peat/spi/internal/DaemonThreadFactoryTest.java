package io.peat.spi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class DaemonThreadFactoryTest {

    @Test
    void makesUnstartedDaemonThreadsNamedPrefixDashN() {
        DaemonThreadFactory factory = new DaemonThreadFactory("peat-test");
        Runnable body = () -> { };

        Thread first = factory.newThread(body);
        Thread second = factory.newThread(body);

        assertEquals("peat-test-1", first.getName());
        assertEquals("peat-test-2", second.getName());
        assertTrue(first.isDaemon());
        assertTrue(second.isDaemon());
        assertEquals(Thread.State.NEW, first.getState());
    }

    @Test
    void eachFactoryCountsOnItsOwn() {
        new DaemonThreadFactory("peat-test").newThread(() -> { });

        assertEquals("peat-test-1", new DaemonThreadFactory("peat-test").newThread(() -> { }).getName());
    }

    @Test
    void namesAreUniqueUnderConcurrentUse() throws InterruptedException {
        DaemonThreadFactory factory = new DaemonThreadFactory("peat-race");
        Set<String> names = ConcurrentHashMap.newKeySet();
        int callers = 4;
        int each = 250;
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(callers);
        for (int i = 0; i < callers; i++) {
            DaemonThreadFactory.newDaemonThread("caller-" + i, () -> {
                try {
                    go.await();
                    for (int k = 0; k < each; k++) {
                        names.add(factory.newThread(() -> { }).getName());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    done.countDown();
                }
            }).start();
        }
        go.countDown();

        assertTrue(done.await(10, TimeUnit.SECONDS), "callers did not finish");
        assertEquals(callers * each, names.size());
        assertTrue(names.contains("peat-race-1"));
        assertTrue(names.contains("peat-race-" + callers * each));
    }

    @Test
    void newDaemonThreadKeepsTheNameAndRunsTheBodyOnceStarted() throws InterruptedException {
        AtomicBoolean ran = new AtomicBoolean();

        Thread t = DaemonThreadFactory.newDaemonThread("peat-one", () -> ran.set(true));

        assertEquals("peat-one", t.getName());
        assertTrue(t.isDaemon());
        assertFalse(ran.get(), "the thread must not start on its own");
        t.start();
        t.join(10_000);
        assertTrue(ran.get());
    }
}
