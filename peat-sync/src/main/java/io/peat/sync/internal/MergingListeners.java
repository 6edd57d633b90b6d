package io.peat.sync.internal;

import io.peat.sync.ListenerRegistration;
import java.util.function.BinaryOperator;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application's listeners of one kind of event and the hand-off of events to their executors.
 * Events that wait for a slow listener merge per key, so what waits is bounded by the keys.
 *
 * <p><b>Threads.</b> {@link #publish} is called on the sync thread and never blocks or runs a
 * listener there (unless the listener's executor runs tasks in place). Each registration keeps its
 * own pending events, at most one per key (later ones merge into it), guarded by the
 * registration's monitor, and at most one drain task on its executor at a time, so calls to one
 * listener never overlap and keep the order of application.
 */
public class MergingListeners<K, E> {
    private static final Logger LOG = LoggerFactory.getLogger(MergingListeners.class);
    /** Events one drain task hands over before it yields its executor thread. */
    static final int BATCH = 256;

    private final CopyOnWriteArrayList<Registration> registrations = new CopyOnWriteArrayList<>();
    private final Function<E, K> keyOf;
    private final BinaryOperator<E> merge;

    /**
     * @param keyOf the key events merge under
     * @param merge merges a waiting event with a later one of the same key
     */
    protected MergingListeners(Function<E, K> keyOf, BinaryOperator<E> merge) {
        this.keyOf = keyOf;
        this.merge = merge;
    }

    /**
     * @param listener the listener, called with each event
     * @param executor where it is called
     * @param name names the listener in logs (the application's listener object)
     * @return removes it
     */
    protected ListenerRegistration add(Consumer<E> listener, Executor executor, Object name) {
        Registration r = new Registration(Objects.requireNonNull(listener, "listener"), Objects.requireNonNull(executor, "executor"),
                name);
        registrations.add(r);
        return r;
    }

    /** @return true when no listener is registered (the sync thread can skip building events) */
    public boolean isEmpty() {
        return registrations.isEmpty();
    }

    /** @param event hands the event to every listener; sync thread */
    public void publish(E event) {
        for (Registration r : registrations) {
            r.offer(event);
        }
    }

    private final class Registration implements ListenerRegistration, Runnable {
        private final Consumer<E> listener;
        private final Executor executor;
        private final Object name;
        // Guarded by this.
        private final Map<K, E> pending = new LinkedHashMap<>();
        private boolean scheduled;
        private volatile boolean closed;

        Registration(Consumer<E> listener, Executor executor, Object name) {
            this.listener = listener;
            this.executor = executor;
            this.name = name;
        }

        void offer(E event) {
            if (closed) {
                return;
            }
            synchronized (this) {
                pending.merge(keyOf.apply(event), event, merge);
                if (scheduled) {
                    return;
                }
                scheduled = true;
            }
            schedule();
        }

        private void schedule() {
            try {
                executor.execute(this);
            } catch (RejectedExecutionException e) {
                synchronized (this) {
                    scheduled = false; // kept pending: the next event tries again
                }
                LOG.warn("the executor of listener {} refused its task ({}); {} events wait for the next one",
                        name, e.toString(), pendingCount());
            }
        }

        private synchronized int pendingCount() {
            return pending.size();
        }

        @Override
        public void run() {
            for (int i = 0; i < BATCH; i++) {
                E next;
                synchronized (this) {
                    Iterator<E> it = pending.values().iterator();
                    if (closed || !it.hasNext()) {
                        scheduled = false;
                        return;
                    }
                    next = it.next();
                    it.remove();
                }
                try {
                    listener.accept(next);
                } catch (RuntimeException e) {
                    LOG.warn("listener {} threw on {}; it keeps being called", name, next, e);
                }
            }
            schedule(); // more may wait: yield the executor thread, then go on
        }

        @Override
        public void close() {
            closed = true;
            registrations.remove(this);
            synchronized (this) {
                pending.clear();
            }
        }
    }
}
