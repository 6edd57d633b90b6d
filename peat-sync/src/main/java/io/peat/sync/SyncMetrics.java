package io.peat.sync;

import io.peat.spi.PeerId;
import java.util.Map;

/**
 * A snapshot of a node's sync counters, per peer and in total. Immutable.
 *
 * @param perPeer each peer's counters
 */
public record SyncMetrics(Map<PeerId, PeerMetrics> perPeer) {

    /** Copies the map. */
    public SyncMetrics {
        perPeer = Map.copyOf(perPeer);
    }

    /** @return bytes written to streams, all peers */
    public long bytesSent() {
        return perPeer.values().stream().mapToLong(PeerMetrics::bytesSent).sum();
    }

    /** @return bytes read from streams, all peers */
    public long bytesReceived() {
        return perPeer.values().stream().mapToLong(PeerMetrics::bytesReceived).sum();
    }

    /** @return frames sent over the per-message path, all peers */
    public long fallbackSends() {
        return perPeer.values().stream().mapToLong(PeerMetrics::fallbackSends).sum();
    }

    /** @return reconnects, all peers */
    public long reconnects() {
        return perPeer.values().stream().mapToLong(PeerMetrics::reconnects).sum();
    }

    /** @return streams dropped for protocol violations, all peers */
    public long protocolErrors() {
        return perPeer.values().stream().mapToLong(PeerMetrics::protocolErrors).sum();
    }

    /** @return unknown frames skipped, all peers */
    public long unknownFrames() {
        return perPeer.values().stream().mapToLong(PeerMetrics::unknownFrames).sum();
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
        return perPeer.getOrDefault(peer, new PeerMetrics(0, 0, Map.of(), Map.of(), 0, 0, 0, 0, 0, null, 0, 0));
    }
}
