package io.peat.sync.internal;

import io.peat.sync.DocKey;
import io.peat.sync.ListenerRegistration;
import io.peat.sync.RemoteChange;
import io.peat.sync.RemoteChangeListener;
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
 * The application's {@link RemoteChangeListener}s and the hand-off of events to their executors.
 *
 * <p><b>Threads.</b> {@link #publish} is called on the sync thread and never blocks or runs a
 * listener there (unless the listener's executor runs tasks in place). Each registration keeps its
 * own pending events, at most one per document (later ones merge into it), guarded by the
 * registration's monitor, and at most one drain task on its executor at a time, so calls to one
 * listener never overlap and keep the order of application.
 */
public final class RemoteChangeListeners {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteChangeListeners.class);
    /** Events one drain task hands over before it yields its executor thread. */
    static final int BATCH = 256;

    private final CopyOnWriteArrayList<Registration> registrations = new CopyOnWriteArrayList<>();

    /**
     * @param listener the listener
     * @param executor where it is called
     * @return removes it
     */
    public ListenerRegistration add(RemoteChangeListener listener, Executor executor) {
        Registration r = new Registration(Objects.requireNonNull(listener, "listener"), Objects.requireNonNull(executor, "executor"));
        registrations.add(r);
        return r;
    }

    /** @return true when no listener is registered (the sync thread can skip building events) */
    public boolean isEmpty() {
        return registrations.isEmpty();
    }

    /** @param change hands the event to every listener; sync thread */
    public void publish(RemoteChange change) {
        for (Registration r : registrations) {
            r.offer(change);
        }
    }

    private final class Registration implements ListenerRegistration, Runnable {
        private final RemoteChangeListener listener;
        private final Executor executor;
        // Guarded by this.
        private final Map<DocKey, RemoteChange> pending = new LinkedHashMap<>();
        private boolean scheduled;
        private volatile boolean closed;

        Registration(RemoteChangeListener listener, Executor executor) {
            this.listener = listener;
            this.executor = executor;
        }

        void offer(RemoteChange change) {
            if (closed) {
                return;
            }
            synchronized (this) {
                pending.merge(change.key(), change, RemoteChange::mergedWith);
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
                LOG.warn("the executor of remote-change listener {} refused its task ({}); {} events wait for the next change",
                        listener, e.toString(), pendingCount());
            }
        }

        private synchronized int pendingCount() {
            return pending.size();
        }

        @Override
        public void run() {
            for (int i = 0; i < BATCH; i++) {
                RemoteChange next;
                synchronized (this) {
                    Iterator<RemoteChange> it = pending.values().iterator();
                    if (closed || !it.hasNext()) {
                        scheduled = false;
                        return;
                    }
                    next = it.next();
                    it.remove();
                }
                try {
                    listener.onRemoteChange(next);
                } catch (RuntimeException e) {
                    LOG.warn("remote-change listener {} threw on {}; it keeps being called", listener, next, e);
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
