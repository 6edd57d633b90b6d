package io.peat.sync.internal.channel;

import io.peat.spi.CloseReason;
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
    private volatile java.util.function.BiConsumer<PeerConnection, CloseReason> onClosed = (c, r) -> { };
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
     * @param listener told of every recorded connection that closed, with why (on a transport thread);
     *     set once, before connections arrive
     */
    public void onClosed(java.util.function.BiConsumer<PeerConnection, CloseReason> listener) {
        this.onClosed = listener;
    }

    /**
     * Records a connection (inbound or outbound) until it closes.
     *
     * @param connection the established connection
     */
    public void add(PeerConnection connection) {
        PeerId peer = connection.remotePeerId();
        live.compute(peer, (p, l) -> {
            List<PeerConnection> list = l != null ? l : new CopyOnWriteArrayList<>();
            list.add(connection);
            return list;
        });
        connection.closeFuture().whenComplete((r, e) -> {
            // A peer with no open connection leaves no entry behind: the map does not grow with peers that left.
            live.computeIfPresent(peer, (p, l) -> {
                l.remove(connection);
                return l.isEmpty() ? null : l;
            });
            try {
                onClosed.accept(connection, r != null ? r : new CloseReason(CloseReason.LOST, String.valueOf(e), false));
            } catch (RuntimeException x) {
                LOG.error("handling the close of the connection to {} failed", peer, x);
            }
        });
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

    /**
     * @param peer a peer
     * @return its open connections, oldest first (a snapshot)
     */
    public List<PeerConnection> open(PeerId peer) {
        List<PeerConnection> list = live.get(peer);
        return list == null ? List.of() : list.stream().filter(PeerConnection::isOpen).toList();
    }

    /** @return every open connection, to any peer (a snapshot) */
    public List<PeerConnection> all() {
        return live.values().stream().flatMap(List::stream).filter(PeerConnection::isOpen).toList();
    }

    /** @return how many peers have an entry (open connections or a dial address); for the state-size pin */
    public int peersHeld() {
        java.util.Set<PeerId> s = new java.util.HashSet<>(live.keySet());
        s.addAll(dialAddresses.keySet());
        s.addAll(dialing.keySet());
        return s.size();
    }

    /**
     * Forgets a departed peer: its dial address, and its open connections, closed with {@code reason}.
     *
     * @param peer the peer
     * @param reason why, for the peer
     */
    public void forget(PeerId peer, String reason) {
        dialAddresses.remove(peer);
        List<PeerConnection> list = live.remove(peer);
        if (list != null) {
            list.forEach(c -> c.close(CloseReason.NORMAL, reason));
        }
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
