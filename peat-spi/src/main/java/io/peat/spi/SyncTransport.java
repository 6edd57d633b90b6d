package io.peat.spi;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * One local endpoint of a transport: it has a peer id, may listen on an address, dials peers, and
 * reports inbound connections and peer-opened streams to the {@link TransportListener} it was
 * created with. Created by {@link SyncTransportProvider#create}.
 *
 * <p>The transport moves bytes only: framing, the per-peer writer, reconnects and the fallback path
 * belong to the sync layer above it.
 *
 * <p>Every method may be called from any thread and never blocks, except {@link #close()}, which
 * waits a bounded time for resources to be released. Stages complete on a transport thread.
 */
public interface SyncTransport extends AutoCloseable {

    /** @return the name of the provider that created this transport, e.g. {@code inmem} */
    String name();

    /** @return this endpoint's own peer id, as peers will see it verified */
    PeerId localPeerId();

    /**
     * Starts accepting connections.
     *
     * @param bindAddress where to listen, in the transport's address syntax (a port of 0 picks a
     *     free one on network transports)
     * @return the address actually bound, for peers to dial; exceptionally with
     *     {@link TransportException} naming the address when it cannot be bound (another endpoint
     *     listens there: kit clause T2.6), {@link ConfigException} naming it when the transport
     *     cannot parse it (never thrown: T2.8), or
     *     {@link IllegalStateException} when already listening
     */
    CompletionStage<PeerAddress> listen(PeerAddress bindAddress);

    /** @return the bound address once {@link #listen} has completed, else empty */
    Optional<PeerAddress> localAddress();

    /**
     * Dials a peer. The transport verifies that the node reached is {@code expectedPeer}.
     *
     * @param address the peer's address
     * @param expectedPeer the peer id the caller expects there (pinned)
     * @return the established connection; exceptionally with {@link PeerIdentityException} when a
     *     different or unverifiable peer answers, {@link TransportException} naming the address
     *     when it cannot be reached, or {@link ConfigException} naming it when the transport cannot
     *     parse it (never thrown: T2.8)
     */
    CompletionStage<PeerConnection> connect(PeerAddress address, PeerId expectedPeer);

    /**
     * Stops listening, closes every connection (pending operations fail with
     * {@link ConnectionClosedException}) and releases threads and sockets. Idempotent.
     *
     * @return completes when every resource is released; never exceptionally
     */
    CompletionStage<Void> closeAsync();

    /** Closes as {@link #closeAsync()} and waits for it, at most 10 seconds. */
    @Override
    void close();
}
