package io.peat.sync.internal.channel;

import io.peat.spi.PeerAddress;
import io.peat.spi.PeerConnection;
import io.peat.spi.PeerId;
import io.peat.spi.SyncTransport;
import io.peat.spi.TransportException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The live connections to each peer and the addresses this node may dial them at. Thread-safe:
 * updated from transport threads, read from any.
 */
public final class PeerConnections {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PeerConnections.class);
    private final SyncTransport transport;
    private final java.util.function.Consumer<PeerConnection> onAdded;
    private final Map<PeerId, List<PeerConnection>> live = new ConcurrentHashMap<>();
    private final Map<PeerId, PeerAddress> dialAddresses = new ConcurrentHashMap<>();
    private final Map<PeerId, CompletableFuture<PeerConnection>> dialing = new ConcurrentHashMap<>();

    /**
     * @param transport the endpoint connections are dialed from
     * @param onAdded told of every connection added, inbound or outbound (on the adding thread)
     */
    public PeerConnections(SyncTransport transport, java.util.function.Consumer<PeerConnection> onAdded) {
        this.transport = transport;
        this.onAdded = onAdded;
    }

    /**
     * Records a connection (inbound or outbound) until it closes.
     *
     * @param connection the established connection
     */
    public void add(PeerConnection connection) {
        PeerId peer = connection.remotePeerId();
        live.computeIfAbsent(peer, p -> new CopyOnWriteArrayList<>()).add(connection);
        connection.closeFuture().whenComplete((r, e) -> live.getOrDefault(peer, List.of()).remove(connection));
        try {
            onAdded.accept(connection);
        } catch (RuntimeException e) {
            // A fault of ours must not reach the transport, which would close a healthy connection.
            LOG.error("handling the new connection to {} failed; the connection stays open", peer, e);
        }
    }

    /**
     * @param peer a peer
     * @return the newest open connection to it
     */
    public Optional<PeerConnection> current(PeerId peer) {
        List<PeerConnection> list = live.get(peer);
        if (list == null) {
            return Optional.empty();
        }
        // One snapshot: the list may change under us (a connection closing on another thread).
        PeerConnection[] snapshot = list.toArray(new PeerConnection[0]);
        for (int i = snapshot.length - 1; i >= 0; i--) {
            if (snapshot[i].isOpen()) {
                return Optional.of(snapshot[i]);
            }
        }
        return Optional.empty();
    }

    /** @return whether an open connection to the peer exists */
    public boolean isConnected(PeerId peer) {
        return current(peer).isPresent();
    }

    /**
     * Remembers where a peer can be dialed, so that lost connections can be redialed.
     *
     * @param peer the peer
     * @param address its address
     */
    public void rememberAddress(PeerId peer, PeerAddress address) {
        dialAddresses.put(peer, address);
    }

    /** @return the address the peer can be dialed at, if known */
    public Optional<PeerAddress> address(PeerId peer) {
        return Optional.ofNullable(dialAddresses.get(peer));
    }

    /**
     * @param peer a peer
     * @return an open connection: the current one, or a new one dialed at the remembered address
     *     (one dial at a time per peer); exceptionally with {@link TransportException} when there is
     *     neither
     */
    public CompletionStage<PeerConnection> connectionFor(PeerId peer) {
        Optional<PeerConnection> c = current(peer);
        if (c.isPresent()) {
            return CompletableFuture.completedFuture(c.get());
        }
        PeerAddress address = dialAddresses.get(peer);
        if (address == null) {
            return CompletableFuture.failedFuture(new TransportException("no open connection to " + peer
                    + " and no address to dial it at; it must connect to us, or call connect(address, peer)"));
        }
        CompletableFuture<PeerConnection> mine = new CompletableFuture<>();
        CompletableFuture<PeerConnection> existing = dialing.putIfAbsent(peer, mine);
        if (existing != null) {
            return existing;
        }
        transport.connect(address, peer).whenComplete((conn, e) -> {
            dialing.remove(peer, mine);
            if (e != null) {
                mine.completeExceptionally(e);
            } else {
                add(conn);
                mine.complete(conn);
            }
        });
        return mine;
    }
}
