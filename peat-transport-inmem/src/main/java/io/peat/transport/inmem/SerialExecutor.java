package io.peat.transport.inmem;

import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs tasks one at a time, in the order they were enqueued, on a shared pool: the "event loop" of
 * one connection end (or of one transport's control stages).
 *
 * <p>{@link #enqueue} only appends and may be called while holding any lock: it never runs a task.
 * {@link #kick} makes sure a drain is scheduled and must be called without holding a connection
 * lock. When the pool has been shut down (the transport is closed) the kicking thread drains the
 * queue itself, so stages still complete.
 */
final class SerialExecutor implements Executor {

    private static final System.Logger LOG = System.getLogger(SerialExecutor.class.getName());
    /** Tasks run per drain before yielding the pool thread to other executors. */
    private static final int BATCH = 64;

    private final Executor pool;
    /** Guards {@link #queue} and {@link #scheduled}; a leaf lock (nothing is called while held). */
    private final Object lock = new Object();
    /** Tasks not yet run. Guarded by {@link #lock}. */
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    /** True while a drain is scheduled or running. Guarded by {@link #lock}. */
    private boolean scheduled;

    /** @param pool the threads to run on */
    SerialExecutor(Executor pool) {
        this.pool = pool;
    }

    /** Enqueues and kicks. Call without holding a connection lock. Any thread. */
    @Override
    public void execute(Runnable task) {
        enqueue(task);
        kick();
    }

    /** Appends a task without running anything. Any thread, any lock held. */
    void enqueue(Runnable task) {
        synchronized (lock) {
            queue.add(task);
        }
    }

    /** Schedules a drain if tasks are waiting and none is scheduled. Any thread, no connection lock held. */
    void kick() {
        synchronized (lock) {
            if (scheduled || queue.isEmpty()) {
                return;
            }
            scheduled = true;
        }
        submitOrDrainHere();
    }

    private void submitOrDrainHere() {
        try {
            pool.execute(this::drain);
        } catch (RejectedExecutionException shutDown) {
            drain();
        }
    }

    private void drain() {
        while (true) {
            for (int i = 0; i < BATCH; i++) {
                Runnable task;
                synchronized (lock) {
                    task = queue.poll();
                    if (task == null) {
                        scheduled = false;
                        return;
                    }
                }
                runSafely(task);
            }
            synchronized (lock) {
                if (queue.isEmpty()) {
                    scheduled = false;
                    return;
                }
            }
            try {
                pool.execute(this::drain);
                return;
            } catch (RejectedExecutionException shutDown) {
                // keep draining on this thread
            }
        }
    }

    private static void runSafely(Runnable task) {
        try {
            task.run();
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable t) {
            LOG.log(Level.ERROR, "in-memory transport task failed", t);
        }
    }
}
