package io.peat.bench;

import io.peat.spi.ByteStream;
import io.peat.spi.PeerAddress;
import io.peat.spi.PeerConnection;
import io.peat.spi.PeerId;
import io.peat.spi.SyncTransport;
import io.peat.spi.SyncTransportProvider;
import io.peat.spi.TransportConfig;
import io.peat.spi.TransportDiscovery;
import io.peat.spi.TransportListener;
import io.peat.sync.DocKey;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.automerge.ObjectId;

/**
 * 50 MB over one {@link ByteStream} of the bare transport, against the same bytes as document changes
 * (64 KiB byte values in new documents, as one document of that size does not sync yet) through the
 * sync layer: the sync layer's cost over the transport, as a ratio.
 */
final class RawTrial implements Trial {
    static final int CHUNK = 64 * 1024;

    @Override
    public Map<String, Object> run(Map<String, String> raw) throws Exception {
        Params p = new Params(raw);
        String transport = p.string("transport");
        long megabytes = p.number("megabytes");
        long timeout = p.number("timeout");
        int chunks = (int) (megabytes * 1_000_000 / CHUNK);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("transport", transport);
        row.put("MB", chunks * (double) CHUNK / 1e6);
        System.err.printf("raw %s: %d x 64 KiB over one stream%n", transport, chunks);
        double rawSeconds = rawStream(transport, chunks, timeout);
        row.put("stream s", rawSeconds);
        System.err.printf("raw %s: the same as %d new documents through the sync layer%n", transport, chunks);
        double syncSeconds = throughSync(transport, raw.getOrDefault("properties", ""), chunks, timeout);
        row.put("sync s", syncSeconds);
        row.put("stream MB/s", row.get("MB") instanceof Double mb ? mb / rawSeconds : Double.NaN);
        row.put("sync MB/s", row.get("MB") instanceof Double mb ? mb / syncSeconds : Double.NaN);
        row.put("sync / stream", syncSeconds / rawSeconds);
        return row;
    }

    private static double rawStream(String transport, int chunks, long timeout) throws Exception {
        String network = "raw-" + UUID.randomUUID();
        CompletableFuture<Long> received = new CompletableFuture<>();
        AtomicLong bytes = new AtomicLong();
        SyncTransport b = create(transport, "b", network, new TransportListener() {
            @Override
            public void onConnection(PeerConnection connection) {
            }

            @Override
            public void onStream(ByteStream stream) {
                readAll(stream, bytes, received);
            }
        });
        SyncTransport a = create(transport, "a", network, new TransportListener() {
            @Override
            public void onConnection(PeerConnection connection) {
            }

            @Override
            public void onStream(ByteStream stream) {
                stream.reset(0);
            }
        });
        try {
            PeerAddress at = BenchCluster.get(b.listen(PeerAddress.of(transport.equals("inmem") ? "b" : "127.0.0.1:0")));
            BenchCluster.get(a.listen(PeerAddress.of(transport.equals("inmem") ? "a" : "127.0.0.1:0")));
            PeerConnection c = BenchCluster.get(a.connect(at, b.localPeerId()));
            ByteStream s = BenchCluster.get(c.openStream());
            byte[] block = new byte[CHUNK];
            new Random(2).nextBytes(block);
            long t0 = System.nanoTime();
            CompletionStage<Void> last = null;
            for (int i = 0; i < chunks; i++) {
                last = s.write(ByteBuffer.wrap(block.clone()));
                if (i % 16 == 15) {
                    last.toCompletableFuture().get(timeout, TimeUnit.SECONDS); // at most 1 MiB queued
                }
            }
            s.finish().toCompletableFuture().get(timeout, TimeUnit.SECONDS);
            long end = received.get(timeout, TimeUnit.SECONDS);
            if (bytes.get() != (long) chunks * CHUNK) {
                throw new IllegalStateException("the stream carried " + bytes.get() + " bytes of " + (long) chunks * CHUNK);
            }
            return (end - t0) / 1e9;
        } finally {
            a.close();
            b.close();
            io.peat.transport.inmem.InMemoryNetwork.remove(network);
        }
    }

    private static void readAll(ByteStream s, AtomicLong bytes, CompletableFuture<Long> done) {
        s.read().whenComplete((chunk, e) -> {
            if (e != null) {
                done.completeExceptionally(e);
            } else if (chunk.isEmpty()) {
                done.complete(System.nanoTime());
            } else {
                bytes.addAndGet(chunk.get().remaining());
                readAll(s, bytes, done);
            }
        });
    }

    private static SyncTransport create(String transport, String name, String network, TransportListener listener) {
        TransportConfig.Builder c = TransportConfig.builder().transportName(transport);
        if (transport.equals("inmem")) {
            c.localPeerId(PeerId.of(name)).property("inmem.network", network);
        }
        TransportConfig config = c.build();
        SyncTransportProvider provider = TransportDiscovery.select(config);
        return provider.create(config, listener);
    }

    private static double throughSync(String transport, String properties, int chunks, long timeout) throws Exception {
        try (BenchCluster cluster = new BenchCluster(transport, properties)) {
            int a = cluster.addNode();
            int b = cluster.addNode();
            cluster.connect(a, b);
            ArrivalLog log = new ArrivalLog();
            cluster.node(b).addRemoteChangeListener(log, Runnable::run);
            Random r = new Random(2);
            long t0 = System.nanoTime();
            CompletableFuture<Void> last = null;
            for (int i = 0; i < chunks; i++) {
                byte[] block = new byte[CHUNK];
                r.nextBytes(block);
                DocKey key = DocKey.of("raw", "blob-" + i);
                log.emitted(key, System.nanoTime());
                last = cluster.node(a).change(key, tx -> tx.set(ObjectId.ROOT, "blob", block)).toCompletableFuture();
            }
            last.get(timeout, TimeUnit.SECONDS);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeout);
            while (!log.complete() && System.nanoTime() < end) {
                Thread.sleep(5); // polling the arrival log with a deadline
            }
            if (!log.complete()) {
                throw new IllegalStateException("only " + log.delivered() + " of " + chunks + " documents arrived within " + timeout + " s");
            }
            return (System.nanoTime() - t0) / 1e9;
        }
    }

}
