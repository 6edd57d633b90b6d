package io.peat.sync;

import io.peat.spi.PeerId;
import java.util.Map;

/**
 * A snapshot of a node's sync counters, per peer and in total. Immutable.
 *
 * @param perPeer each known peer's counters
 * @param departed the counters of every departed peer, summed (SPEC 3.11: a departed peer's state is
 *     released, its counts are kept in this one bounded form); the totals include them
 */
public record SyncMetrics(Map<PeerId, PeerMetrics> perPeer, PeerMetrics departed) {

    /** Copies the map. */
    public SyncMetrics {
        perPeer = Map.copyOf(perPeer);
        java.util.Objects.requireNonNull(departed, "departed");
    }

    private java.util.stream.Stream<PeerMetrics> all() {
        return java.util.stream.Stream.concat(perPeer.values().stream(), java.util.stream.Stream.of(departed));
    }

    /** @return bytes written to streams, all peers */
    public long bytesSent() {
        return all().mapToLong(PeerMetrics::bytesSent).sum();
    }

    /** @return bytes read from streams, all peers */
    public long bytesReceived() {
        return all().mapToLong(PeerMetrics::bytesReceived).sum();
    }

    /** @return frames sent over the per-message path, all peers */
    public long fallbackSends() {
        return all().mapToLong(PeerMetrics::fallbackSends).sum();
    }

    /** @return reconnects, all peers */
    public long reconnects() {
        return all().mapToLong(PeerMetrics::reconnects).sum();
    }

    /** @return streams dropped for protocol violations, all peers */
    public long protocolErrors() {
        return all().mapToLong(PeerMetrics::protocolErrors).sum();
    }

    /** @return unknown frames skipped, all peers */
    public long unknownFrames() {
        return all().mapToLong(PeerMetrics::unknownFrames).sum();
    }

    /** @return frames queued now, all peers */
    public long queueDepth() {
        return perPeer.values().stream().mapToLong(PeerMetrics::queueDepth).sum();
    }

    /**
     * @param peer a peer
     * @return its counters, or zeros when it never exchanged anything
     */
    public PeerMetrics peer(PeerId peer) {
        return perPeer.getOrDefault(peer, PeerMetrics.NONE);
    }
}
