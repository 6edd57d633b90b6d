package io.peat.bench;

import io.peat.sync.DocKey;
import io.peat.sync.PeerMetrics;
import io.peat.sync.SyncBackend;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.automerge.ObjectId;

/**
 * Two nodes holding N synced documents; the link is cut without a close, one new document is written
 * on A, and B is timed until it has it (failure detection, reconnect and the resync round). The
 * bytes counted are everything sent after the cut until the sync went quiet.
 */
final class ReconnectTrial implements Trial {

    @Override
    public Map<String, Object> run(Map<String, String> raw) throws Exception {
        Params p = new Params(raw);
        String transport = p.string("transport");
        int docs = p.integer("docs");
        long timeout = p.number("timeout");
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("transport", transport);
        row.put("docs held", docs);
        try (BenchCluster cluster = new BenchCluster(transport, raw.getOrDefault("properties", ""))) {
            int a = cluster.addNode();
            int b = cluster.addNode();
            cluster.connectBreakable(a, b);
            SyncBackend na = cluster.node(a);
            SyncBackend nb = cluster.node(b);
            ArrivalLog log = new ArrivalLog();
            nb.addRemoteChangeListener(log, Runnable::run);
            CompletableFuture<Void> last = null;
            for (int i = 0; i < docs; i++) {
                DocKey key = DocKey.of("held", "doc-" + i);
                log.emitted(key, System.nanoTime());
                String payload = Emitter.letters(400);
                last = na.change(key, tx -> tx.set(ObjectId.ROOT, "payload", payload)).toCompletableFuture();
            }
            last.get(timeout, TimeUnit.SECONDS);
            awaitComplete(log, timeout, "the " + docs + " documents before the cut");
            awaitQuiet(na, nb, timeout);
            long framesBefore = bytes(na, nb);
            long wireBefore = cluster.faultRelayBytes(a, b);
            System.err.printf("reconnect %s: %d documents held, cutting the link%n", transport, docs);
            long t0 = System.nanoTime();
            cluster.kill(a, b);
            DocKey after = DocKey.of("after", "cut");
            log.emitted(after, t0);
            BenchCluster.get(na.change(after, tx -> tx.set(ObjectId.ROOT, "payload", "after the cut")));
            awaitComplete(log, timeout, "the document written after the cut");
            row.put("converge s", (System.nanoTime() - t0) / 1e9);
            awaitQuiet(na, nb, timeout);
            long frames = bytes(na, nb) - framesBefore;
            row.put("frame KB after cut", frames / 1e3);
            row.put("frame B per doc held", (double) frames / docs);
            long wire = cluster.faultRelayBytes(a, b);
            row.put("wire KB after cut", wire < 0 ? Double.NaN : (wire - wireBefore) / 1e3);
            row.put("reconnects", BenchCluster.metrics(na, nb.peerId()).reconnects()
                    + BenchCluster.metrics(nb, na.peerId()).reconnects());
        }
        return row;
    }

    private static long bytes(SyncBackend a, SyncBackend b) {
        PeerMetrics ma = BenchCluster.metrics(a, b.peerId());
        PeerMetrics mb = BenchCluster.metrics(b, a.peerId());
        return ma.bytesSent() + mb.bytesSent();
    }

    private static void awaitComplete(ArrivalLog log, long timeout, String what) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeout);
        while (!log.complete()) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException(what + ": " + log.delivered() + " of " + log.emittedCount() + " arrived in " + timeout + " s");
            }
            Thread.sleep(5); // polling the arrival log with a deadline
        }
    }

    /** Waits until neither node sent a byte for one second (the sync round is over). */
    private static void awaitQuiet(SyncBackend a, SyncBackend b, long timeout) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeout);
        long seen = bytes(a, b);
        long stableSince = System.nanoTime();
        while (System.nanoTime() < end) {
            Thread.sleep(100); // polling the counters with a deadline
            long now = bytes(a, b);
            if (now != seen) {
                seen = now;
                stableSince = System.nanoTime();
            } else if (System.nanoTime() - stableSince > TimeUnit.SECONDS.toNanos(1)) {
                return;
            }
        }
    }
}
