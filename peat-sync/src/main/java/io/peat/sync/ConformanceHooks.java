package io.peat.sync;

import io.peat.spi.PeerId;

/**
 * The one seam through which the conformance kit (peat-tck) reaches inside a node, for clauses that
 * cannot be pinned from the public API. Not for applications: what it does would only confuse a
 * running node.
 *
 * <p>Threads: any.
 */
public final class ConformanceHooks {
    private ConformanceHooks() {
    }

    /**
     * Reports a stream failure to a peer's channel on behalf of the writer or reader of generation
     * {@code generation}, as a late task of an old stream would (SPEC 3.5). Only the current
     * generation of a connected channel may change its state.
     *
     * @param node the node
     * @param peer the peer whose channel to tell
     * @param generation the generation the reporting task was started with
     * @param cause the failure it reports
     * @return true when the channel moved to RECONNECTING; false when it ignored the report (a stale
     *     generation, or a channel that is not connected), and false when there is no channel
     */
    public static boolean reportStreamFailure(SyncBackend node, PeerId peer, long generation, Throwable cause) {
        return node.internalChannel(peer).map(c -> c.markFailed(generation, cause)).orElse(false);
    }

    /**
     * Counts the per-peer entries a node holds (channels, connections and addresses, reconnect and
     * departure clocks, sync states, owed documents, backlogs, counters, peer states): the size that
     * must come back to its baseline once peers have departed (SPEC 3.11).
     *
     * @param node the node
     * @return completes with the count, taken on the node's sync thread
     */
    public static java.util.concurrent.CompletionStage<Integer> peerEntries(SyncBackend node) {
        return node.peerEntries();
    }
}
