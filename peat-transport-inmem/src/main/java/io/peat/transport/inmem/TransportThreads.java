package io.peat.transport.inmem;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads of one in-memory endpoint: a small scheduled pool of daemon threads named
 * {@code peat-inmem-<peer>-N} that runs stage completions, listener callbacks and delayed
 * deliveries. Shutting it down lets queued completions run, drops pending delayed deliveries and,
 * once the last thread is done, runs the termination hook.
 */
final class TransportThreads extends ScheduledThreadPoolExecutor {

    /** Marks the threads of a pool so that {@link #isPoolThread()} can tell them apart. */
    private static final ThreadLocal<Object> OWNER = new ThreadLocal<>();

    private final Object token;
    private final Runnable onTerminated;

    private TransportThreads(int threads, ThreadFactory factory, Object token, Runnable onTerminated) {
        super(threads, factory);
        this.token = token;
        this.onTerminated = onTerminated;
        setRemoveOnCancelPolicy(true);
        setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
    }

    /**
     * Creates the pool; threads start lazily.
     *
     * @param peer the endpoint's peer id, used in thread names
     * @param threads the number of threads
     * @param onTerminated run once, on the last pool thread (or the shutting-down thread), after shutdown completes
     * @return the pool
     */
    static TransportThreads create(String peer, int threads, Runnable onTerminated) {
        Object token = new Object();
        AtomicInteger n = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(() -> {
                OWNER.set(token);
                r.run();
            }, "peat-inmem-" + peer + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        return new TransportThreads(threads, factory, token, onTerminated);
    }

    /** @return true when the calling thread belongs to this pool */
    boolean isPoolThread() {
        return OWNER.get() == token;
    }

    @Override
    protected void terminated() {
        super.terminated();
        onTerminated.run();
    }
}
