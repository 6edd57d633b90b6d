package io.peat.sync;

/**
 * A registered listener; {@link #close()} removes it. Events already handed to its executor may
 * still be delivered after {@code close()} returns; none is handed over afterwards.
 */
public interface ListenerRegistration extends AutoCloseable {

    /** Removes the listener. Idempotent, any thread, never throws. */
    @Override
    void close();
}
