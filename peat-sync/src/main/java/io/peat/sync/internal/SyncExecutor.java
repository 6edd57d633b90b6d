package io.peat.sync.internal;

import io.peat.spi.PeatException;
import io.peat.spi.internal.DaemonThreadFactory;
import io.peat.sync.NodeClosedException;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that owns a node's sync state (documents, sync states, dirty sets), in the manner
 * of gRPC-Java's {@code SynchronizationContext}: every task runs on it, one at a time, in order of
 * its lane, and code that touches that state can {@link #assertOnThread() assert} it is there.
 *
 * <p><b>Two lanes.</b> Work arrives from two kinds of source, and neither may starve the other:
 * <ul>
 *   <li>the <em>inbound</em> lane carries frames read from peers' streams. It never refuses a task
 *       while the executor is open (SPEC section 3.12: a frame that was read is applied). It is
 *       bounded by its callers: each stream reader has at most one delivery outstanding and reads
 *       no further until it is done, so the lane holds at most one task per open stream, and the
 *       transport's flow control slows a peer that sends faster than the node applies;</li>
 *   <li>the <em>local</em> lane carries the application's calls and channel events. It holds at most
 *       {@code localCapacity} tasks; a task beyond that is refused with a typed error, so the
 *       caller knows (never dropped silently).</li>
 * </ul>
 * When both lanes have work they take turns, so a reply from a peer waits behind at most one local
 * task, however long the burst of local work.
 *
 * <p><b>Threads.</b> {@link #inbound} and {@link #local} may be called from any thread and never
 * block. Tasks run on the executor's own daemon thread, named {@code peat-sync-<name>}.
 */
public final class SyncExecutor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SyncExecutor.class);

    private final String name;
    private final int localCapacity;
    private final Thread thread;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition hasWork = lock.newCondition();
    // Guarded by lock.
    private final ArrayDeque<Runnable> inboundQueue = new ArrayDeque<>();
    private final ArrayDeque<Runnable> localQueue = new ArrayDeque<>();
    private boolean preferLocal;
    private boolean closed;
    private Runnable last;
    // Set once, before tasks that need it run; read on the executor thread.
    private volatile Runnable onLocalDrained;

    /** One daemon thread for every node's timers; a timer only queues a task on its node's inbound lane. */
    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> DaemonThreadFactory.newDaemonThread("peat-sync-timer", r));
        t.setRemoveOnCancelPolicy(true);
        return t;
    }

    /**
     * Starts the executor's thread.
     *
     * @param name names the thread ({@code peat-sync-<name>}) and errors
     * @param localCapacity tasks the local lane may hold (the inbound lane is bounded by its callers)
     */
    public SyncExecutor(String name, int localCapacity) {
        if (localCapacity <= 0) {
            throw new IllegalArgumentException("localCapacity must be > 0, got " + localCapacity);
        }
        this.name = name;
        this.localCapacity = localCapacity;
        this.thread = DaemonThreadFactory.newDaemonThread("peat-sync-" + name, this::runLoop);
        thread.start();
    }

    /**
     * Queues a task on the inbound lane: never refused while open.
     *
     * @param task the task; it runs on the executor thread
     * @param <T> result type
     * @return the task's result; exceptionally with what the task threw, or with
     *     {@link NodeClosedException} when the executor is closed (the task did not run)
     */
    public <T> CompletableFuture<T> inbound(Supplier<T> task) {
        return enqueue(task, true);
    }

    /**
     * Queues a task on the local lane.
     *
     * @param task the task; it runs on the executor thread
     * @param <T> result type
     * @return the task's result; exceptionally with what the task threw, with
     *     {@link NodeClosedException} when the executor is closed, or with {@link PeatException}
     *     naming the limit when the lane is full (the task did not run)
     */
    public <T> CompletableFuture<T> local(Supplier<T> task) {
        return enqueue(task, false);
    }

    /**
     * Runs {@code task} on the inbound lane after {@code delayNanos}. The delay is kept by one
     * timer thread shared by all nodes, which only queues the task; a task due after close does not run.
     *
     * @param delayNanos the delay
     * @param task runs on the executor thread
     * @return cancels the timer when it has not fired yet
     */
    public Future<?> schedule(long delayNanos, Runnable task) {
        return TIMER.schedule(() -> {
            inbound(() -> {
                task.run();
                return null;
            });
        }, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
    }

    /**
     * Sets what runs on the executor thread each time a local task ends and no other local task is
     * waiting: the application has stopped calling, for now.
     *
     * @param hook runs on the executor thread; must not block
     */
    public void onLocalDrained(Runnable hook) {
        this.onLocalDrained = hook;
    }

    /** @return whether the calling thread is this executor's thread */
    public boolean isOnThread() {
        return Thread.currentThread() == thread;
    }

    /**
     * Fails fast when state owned by this executor is touched from another thread.
     *
     * @throws IllegalStateException when not called on the executor thread
     */
    public void assertOnThread() {
        if (Thread.currentThread() != thread) {
            throw new IllegalStateException("must run on " + thread.getName() + ", not on " + Thread.currentThread().getName());
        }
    }

    /** @return tasks waiting in the inbound lane (for tests and metrics) */
    public int inboundDepth() {
        lock.lock();
        try {
            return inboundQueue.size();
        } finally {
            lock.unlock();
        }
    }

    /** @return tasks waiting in the local lane (for tests and metrics) */
    public int localDepth() {
        lock.lock();
        try {
            return localQueue.size();
        } finally {
            lock.unlock();
        }
    }

    /** @return whether {@link #close} or {@link #closeAfter} was called */
    public boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    private <T> CompletableFuture<T> enqueue(Supplier<T> task, boolean inbound) {
        CompletableFuture<T> out = new CompletableFuture<>();
        Runnable r = () -> {
            try {
                out.complete(task.get());
            } catch (Throwable t) {
                out.completeExceptionally(t);
            }
        };
        PeatException refused = null;
        lock.lock();
        try {
            if (closed) {
                refused = new NodeClosedException("sync node " + name + " is closed");
            } else if (!inbound && localQueue.size() >= localCapacity) {
                refused = new PeatException("sync node " + name + " refused a task: its queue of " + localCapacity
                        + " local tasks is full; wait for earlier calls to complete, or raise SyncConfig.coordinatorQueue");
            } else {
                (inbound ? inboundQueue : localQueue).addLast(r);
                hasWork.signal();
            }
        } finally {
            lock.unlock();
        }
        if (refused != null) {
            out.completeExceptionally(refused);
        }
        return out;
    }

    private void runLoop() {
        while (true) {
            Runnable next;
            boolean takeLocal;
            lock.lock();
            try {
                while (inboundQueue.isEmpty() && localQueue.isEmpty() && !closed) {
                    hasWork.awaitUninterruptibly();
                }
                if (inboundQueue.isEmpty() && localQueue.isEmpty()) {
                    next = last; // closed and drained: the last task, then the thread ends
                    last = null;
                    if (next == null) {
                        return;
                    }
                    runQuietly(next);
                    return;
                }
                takeLocal = !localQueue.isEmpty() && (inboundQueue.isEmpty() || preferLocal);
                next = takeLocal ? localQueue.pollFirst() : inboundQueue.pollFirst();
                preferLocal = !takeLocal;
            } finally {
                lock.unlock();
            }
            runQuietly(next);
            Runnable hook = onLocalDrained;
            if (takeLocal && hook != null && localDepth() == 0) {
                runQuietly(hook);
            }
        }
    }

    private void runQuietly(Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {
            // Task wrappers complete their futures; only an Error thrown by completion code lands here.
            LOG.error("sync task on {} failed", thread.getName(), t);
        }
    }

    /**
     * Refuses new tasks, runs {@code last} after every task already queued, then lets the thread
     * end. Waits at most {@code timeoutMillis} for that.
     *
     * @param last runs on the executor thread after everything queued before this call
     * @param timeoutMillis the longest wait
     * @return whether the thread ended in time
     */
    public boolean closeAfter(Runnable last, long timeoutMillis) {
        lock.lock();
        try {
            if (!closed) {
                this.last = last;
                closed = true;
                hasWork.signal();
            }
        } finally {
            lock.unlock();
        }
        if (isOnThread()) {
            return false;
        }
        try {
            thread.join(TimeUnit.MILLISECONDS.toMillis(timeoutMillis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }

    /** Refuses new tasks, lets queued ones run and waits up to 5 s for the thread to end. */
    @Override
    public void close() {
        closeAfter(() -> { }, 5000);
    }
}
