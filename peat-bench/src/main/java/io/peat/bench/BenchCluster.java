package io.peat.bench;

import io.peat.spi.PeerAddress;
import io.peat.spi.PeerId;
import io.peat.spi.TransportConfig;
import io.peat.sync.PeerMetrics;
import io.peat.sync.SyncBackend;
import io.peat.tck.UdpFaultRelay;
import io.peat.tck.UdpShapingRelay;
import io.peat.transport.inmem.InMemoryNetwork;
import io.peat.transport.inmem.LinkShape;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Nodes of one transport in this JVM, and the links between them: plain loopback, shaped (through a
 * {@link UdpShapingRelay} for UDP transports, {@link InMemoryNetwork#shape} for {@code inmem}), or
 * breakable (through a {@link UdpFaultRelay}, or {@link InMemoryNetwork#killConnections}). Used
 * from one thread.
 */
final class BenchCluster implements AutoCloseable {
    private final String transport;
    private final String network = "bench-" + UUID.randomUUID();
    private final List<SyncBackend> nodes = new ArrayList<>();
    private final List<PeerAddress> bound = new ArrayList<>();
    private final Map<String, UdpShapingRelay> shapers = new HashMap<>();
    private final Map<String, UdpFaultRelay> faults = new HashMap<>();

    private final Map<String, String> properties;

    /**
     * @param transport the provider's name
     * @param properties {@code k=v;k=v} for every node's transport config (may be empty)
     */
    BenchCluster(String transport, String properties) {
        this.transport = transport;
        this.properties = new HashMap<>();
        for (String kv : properties.split(";")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                this.properties.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
    }

    boolean inMemory() {
        return transport.equals("inmem");
    }

    /** Starts a node listening on loopback; @return its index */
    int addNode() throws Exception {
        int i = nodes.size();
        TransportConfig.Builder c = TransportConfig.builder().transportName(transport);
        properties.forEach(c::property);
        if (inMemory()) {
            c.localPeerId(PeerId.of("n" + i)).property("inmem.network", network);
        }
        SyncBackend node = SyncBackend.builder().transportConfig(c.build()).build();
        nodes.add(node);
        bound.add(get(node.listen(PeerAddress.of(inMemory() ? "n" + i : "127.0.0.1:0"))));
        return i;
    }

    SyncBackend node(int i) {
        return nodes.get(i);
    }

    /** Node {@code from} dials node {@code to} directly. */
    void connect(int from, int to) throws Exception {
        get(node(from).connect(bound.get(to), node(to).peerId()));
    }

    /**
     * Node {@code from} dials node {@code to} over a link shaped both ways.
     *
     * @param shape each direction's shape
     */
    void connectShaped(int from, int to, UdpShapingRelay.Shape shape) throws Exception {
        if (inMemory()) {
            LinkShape s = new LinkShape(shape.bytesPerSecond(), shape.burstBytes(), shape.oneWayDelay());
            InMemoryNetwork.named(network).shape(node(from).peerId(), node(to).peerId(), s);
            InMemoryNetwork.named(network).shape(node(to).peerId(), node(from).peerId(), s);
            connect(from, to);
            return;
        }
        UdpShapingRelay relay = UdpShapingRelay.start(udp(to), shape, shape);
        shapers.put(from + ">" + to, relay);
        get(node(from).connect(PeerAddress.of("127.0.0.1:" + relay.address().getPort()), node(to).peerId()));
    }

    /** Node {@code from} dials node {@code to} through a relay that {@link #kill} can cut. */
    void connectBreakable(int from, int to) throws Exception {
        if (inMemory()) {
            connect(from, to);
            return;
        }
        UdpFaultRelay relay = UdpFaultRelay.start(udp(to));
        faults.put(from + ">" + to, relay);
        get(node(from).connect(PeerAddress.of("127.0.0.1:" + relay.address().getPort()), node(to).peerId()));
    }

    /** Cuts every connection between the two without a close; the nodes notice by their idle timeout (QUIC). */
    void kill(int from, int to) {
        if (inMemory()) {
            InMemoryNetwork.named(network).killConnections(node(from).peerId(), node(to).peerId());
        } else {
            faults.get(from + ">" + to).killSessions();
        }
    }

    /** @return the shaping relay of a link made by {@link #connectShaped} (none for inmem) */
    Optional<UdpShapingRelay> shaper(int from, int to) {
        return Optional.ofNullable(shapers.get(from + ">" + to));
    }

    /** @return UDP payload bytes through a breakable link, both ways (-1 for inmem) */
    long faultRelayBytes(int from, int to) {
        UdpFaultRelay r = faults.get(from + ">" + to);
        return r == null ? -1 : r.forwardedBytes(UdpFaultRelay.Direction.TO_TARGET) + r.forwardedBytes(UdpFaultRelay.Direction.FROM_TARGET);
    }

    private InetSocketAddress udp(int node) {
        String a = bound.get(node).value();
        int colon = a.lastIndexOf(':');
        return new InetSocketAddress(a.substring(0, colon), Integer.parseInt(a.substring(colon + 1)));
    }

    /**
     * @return what {@code node} counted for its peer {@code peer}
     * @throws IllegalStateException when they never connected
     */
    static PeerMetrics metrics(SyncBackend node, PeerId peer) {
        PeerMetrics m = node.metrics().perPeer().get(peer);
        if (m == null) {
            throw new IllegalStateException(node.peerId() + " has no metrics for " + peer + ": it never connected");
        }
        return m;
    }

    static <T> T get(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    /** @return the node's peer id as the other nodes know it */
    PeerId peerId(int i) {
        return node(i).peerId();
    }

    @Override
    public void close() {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            try {
                nodes.get(i).close();
            } catch (RuntimeException e) {
                System.err.println("closing node " + i + ": " + e);
            }
        }
        shapers.values().forEach(UdpShapingRelay::close);
        faults.values().forEach(UdpFaultRelay::close);
        if (inMemory()) {
            InMemoryNetwork.remove(network);
        }
    }
}
