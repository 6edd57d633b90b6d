package io.peat.tck.selftest.broken;

import io.peat.spi.PeerConnection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The connection of {@link Breakage#CROSS_TALK_UNDER_LOAD}: it knows which of its streams have
 * written and not yet finished, so that its streams can misroute once many write at once.
 */
final class CrossTalkConnection extends ForwardingConnection {
    /** Streams with at least one write and no finish yet. */
    final Set<CrossTalkStream> busy = ConcurrentHashMap.newKeySet();

    CrossTalkConnection(PeerConnection delegate, EndpointWrapper endpoint) {
        super(delegate, endpoint);
    }
}
