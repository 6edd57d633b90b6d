package io.peat.sync;

/**
 * Told when a peer's changes were applied to a document held here (the "document arrived" event).
 * Register with {@link SyncBackend#addRemoteChangeListener}.
 *
 * <p><b>Threads and order.</b> Each listener is called on the executor given at registration, one
 * call at a time, in the order the changes were applied. A listener that falls behind does not slow
 * the node and is not handed an unbounded backlog: events for a document it has not been handed yet
 * are merged into one ({@link RemoteChange#mergedWith}), so at most one event per document waits.
 *
 * <p>The call must not wait for the node itself (for example {@code backend.read(...).join()}) when
 * the executor is the sync thread ({@code Runnable::run}); with any other executor it may. An
 * exception thrown by the listener is logged and does not stop later calls.
 */
@FunctionalInterface
public interface RemoteChangeListener {

    /** @param change what was applied, from which peer */
    void onRemoteChange(RemoteChange change);
}
