package io.peat.sync.tests;

import io.peat.spi.ByteStream;
import io.peat.spi.PeerAddress;
import io.peat.spi.PeerConnection;
import io.peat.spi.PeerId;
import io.peat.spi.SyncTransport;
import io.peat.spi.TransportConfig;
import io.peat.spi.TransportListener;
import io.peat.sync.DocKey;
import io.peat.sync.SyncBackend;
import io.peat.sync.SyncConfig;
import io.peat.transport.inmem.InMemoryNetwork;
import io.peat.transport.inmem.InMemoryTransportProvider;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Deque;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import io.peat.tck.TckWaits;

/**
 * Whole nodes on one private in-memory network, closed newest first. Used on the test thread.
 */
final class Nodes implements AutoCloseable {
    private final String network = "sync-tests-" + UUID.randomUUID();
    private final Deque<AutoCloseable> open = new ArrayDeque<>();

    InMemoryNetwork network() {
        return InMemoryNetwork.named(network);
    }

    SyncBackend node(String name) throws Exception {
        return node(name, SyncConfig.defaults());
    }

    SyncBackend node(String name, SyncConfig config) throws Exception {
        return node(name, config, java.util.Map.of());
    }

    /** A node whose transport gets extra properties (such as {@code inmem.streamWindowBytes}). */
    SyncBackend node(String name, SyncConfig config, java.util.Map<String, String> transportProperties) throws Exception {
        TransportConfig.Builder tc = TransportConfig.builder().localPeerId(PeerId.of(name)).property("inmem.network", network);
        transportProperties.forEach(tc::property);
        SyncBackend b = SyncBackend.builder().transportProvider(new InMemoryTransportProvider()).transportConfig(tc.build())
                .syncConfig(config).build();
        open.push(b);
        get(b.listen(PeerAddress.of(name)));
        return b;
    }

    /** A bare endpoint that dials and writes what a test wants: a hostile peer. */
    SyncTransport raw(String name) {
        SyncTransport t = new InMemoryTransportProvider().create(config(name), new TransportListener() {
            @Override
            public void onConnection(PeerConnection connection) {
            }

            @Override
            public void onStream(ByteStream stream) {
                stream.reset(0);
            }
        });
        open.push(t::close);
        return t;
    }

    /** Opens a stream from a bare endpoint into a node. */
    ByteStream streamInto(SyncTransport raw, SyncBackend node) throws Exception {
        PeerConnection c = get(raw.connect(PeerAddress.of(node.peerId().value()), node.peerId()));
        return get(c.openStream());
    }

    /** @return nodes of these names, each pair connected (the earlier one dials) */
    List<SyncBackend> mesh(String... names) throws Exception {
        List<SyncBackend> all = new java.util.ArrayList<>();
        for (String n : names) {
            SyncBackend node = node(n);
            for (SyncBackend earlier : all) {
                connect(earlier, node);
            }
            all.add(node);
        }
        return all;
    }

    void connect(SyncBackend from, SyncBackend to) throws Exception {
        get(from.connect(PeerAddress.of(to.peerId().value()), to.peerId()));
    }

    private TransportConfig config(String name) {
        return TransportConfig.builder().localPeerId(PeerId.of(name)).property("inmem.network", network).build();
    }

    static <T> T get(CompletionStage<T> stage) throws Exception {
        return TckWaits.get(stage);
    }

    static String keysOf(SyncBackend node) {
        try {
            List<DocKey> keys = get(node.keys());
            return keys.size() + " " + keys.subList(0, Math.min(5, keys.size()));
        } catch (Exception e) {
            return e.toString();
        }
    }

    static boolean holds(SyncBackend node, DocKey key) {
        try {
            return get(node.read(key, d -> true)).orElse(false);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        while (!open.isEmpty()) {
            try {
                open.pop().close();
            } catch (Exception e) {
                // best effort: the next resource still closes
            }
        }
        InMemoryNetwork.remove(network);
    }
}
