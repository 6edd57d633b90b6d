package io.peat.tck;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The kit's threads: daemon threads, so a hung clause or relay never keeps the JVM alive. Every
 * thread the kit starts (clause pools, relays) is made here.
 */
final class TckThreads {
    private TckThreads() {
    }

    /**
     * @param prefix the threads' name prefix
     * @return a factory of daemon threads named {@code prefix-1}, {@code prefix-2}, ...
     */
    static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * @param name the thread's name
     * @param body what it runs
     * @return a daemon thread, not started
     */
    static Thread daemonThread(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        return t;
    }
}
