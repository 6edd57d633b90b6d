package io.peat.transport.inmem;

import java.nio.ByteBuffer;

/**
 * Observes the bytes an {@link InMemoryNetwork} delivers from one peer to another. Installed with
 * {@link InMemoryNetwork#tap}.
 *
 * <p>Called on a transport thread of the receiving endpoint, in delivery order per stream, one call
 * at a time per connection. Must not block. An exception thrown here is logged and otherwise
 * ignored.
 */
@FunctionalInterface
public interface StreamTap {

    /**
     * A chunk was delivered to the receiver.
     *
     * @param connectionId the connection's id, unique in its network and the same on both sides
     * @param streamId the stream's id on that connection
     * @param bytes a read-only copy of the chunk, from position to limit; the tap may keep it
     */
    void onBytes(long connectionId, long streamId, ByteBuffer bytes);
}
