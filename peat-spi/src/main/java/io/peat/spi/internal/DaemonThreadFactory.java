package io.peat.spi.internal;

import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes daemon threads, so that a thread of peat-java never keeps the JVM alive on its own. As a
 * {@link ThreadFactory} it names its threads {@code <prefix>-1}, {@code <prefix>-2}, ... in the
 * order it makes them; {@link #newDaemonThread(String, Runnable)} makes one thread with a name of
 * the caller's choosing (for single-thread executors and threads the caller starts itself).
 *
 * <p>Not API: see {@link io.peat.spi.internal}. Thread-safe: one factory may be used by any number
 * of threads at once, and no two threads it makes share a number.
 */
public final class DaemonThreadFactory implements ThreadFactory {
    private final String prefix;
    private final AtomicInteger next = new AtomicInteger();

    /**
     * @param prefix the threads' name prefix, without the trailing {@code -}
     */
    public DaemonThreadFactory(String prefix) {
        this.prefix = Objects.requireNonNull(prefix, "prefix");
    }

    /**
     * @param body what the thread runs
     * @return a new daemon thread named {@code <prefix>-<n>}, {@code n} counting from 1; not started
     */
    @Override
    public Thread newThread(Runnable body) {
        return newDaemonThread(prefix + "-" + next.incrementAndGet(), body);
    }

    /**
     * Makes one daemon thread. Safe to call from any thread.
     *
     * @param name the thread's name, as given
     * @param body what the thread runs
     * @return a new daemon thread; not started (the caller starts it)
     */
    public static Thread newDaemonThread(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        return t;
    }
}
