package io.peat.sync.internal;

import io.peat.sync.DocKey;
import io.peat.sync.ListenerRegistration;
import io.peat.sync.RemoteChange;
import io.peat.sync.RemoteChangeListener;
import java.util.concurrent.Executor;

/**
 * The application's {@link RemoteChangeListener}s: events merge per document while a listener is
 * behind. Threads as {@link MergingListeners}.
 */
public final class RemoteChangeListeners extends MergingListeners<DocKey, RemoteChange> {

    /** No listener yet. */
    public RemoteChangeListeners() {
        super(RemoteChange::key, RemoteChange::mergedWith);
    }

    /**
     * @param listener the listener
     * @param executor where it is called
     * @return removes it
     */
    public ListenerRegistration add(RemoteChangeListener listener, Executor executor) {
        return add(listener == null ? null : listener::onRemoteChange, executor, listener);
    }
}
