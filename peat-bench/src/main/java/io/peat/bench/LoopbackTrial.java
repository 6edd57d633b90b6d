package io.peat.bench;

import io.peat.sync.DocKey;
import io.peat.sync.PeerMetrics;
import io.peat.sync.SyncBackend;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.automerge.AmValue;
import org.automerge.ObjectId;
import org.automerge.ObjectType;

/**
 * One loopback case on one transport: node A writes, node B is timed until it holds A's final state
 * (the last write sets {@code done}; one actor's changes apply in order, so B has them all then).
 */
final class LoopbackTrial implements Trial {
    /** The cases a scenario runs unless told otherwise (the baseline has these too). */
    static final String DEFAULT_CASES = "docs,changes,text-one,text-appends,big-doc";
    /** The cases, by name, with what each writes. */
    static final Map<String, String> CASES = new LinkedHashMap<>();

    static {
        CASES.put("docs", "1,000 new documents, 400-byte payload each");
        CASES.put("changes-1k", "1,000 changes to one document (a counter increment and a field set each)");
        CASES.put("changes", "10,000 changes to one document (a counter increment and a field set each)");
        CASES.put("changes-100k", "100,000 changes to one document (a counter increment and a field set each)");
        CASES.put("text-one", "10 MiB of text in one change");
        CASES.put("text-appends", "10 MiB of text as 10 appends of 1 MiB");
        CASES.put("big-doc", "a 50 MB document: 763 changes of 64 KiB bytes, written while connected");
        CASES.put("big-doc-offline", "a 50 MB document: 763 changes of 64 KiB bytes, written before the nodes connect");
        CASES.put("big-change", "a 50 MB document in one change (random bytes), written before the nodes connect");
    }

    @Override
    public Map<String, Object> run(Map<String, String> raw) throws Exception {
        Params p = new Params(raw);
        String transport = p.string("transport");
        String name = p.string("case");
        long timeout = p.number("timeout");
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("transport", transport);
        row.put("case", name);
        try (BenchCluster cluster = new BenchCluster(transport, raw.getOrDefault("properties", ""));
                ResourceSampler resources = new ResourceSampler()) {
            int a = cluster.addNode();
            int b = cluster.addNode();
            boolean offline = name.equals("big-doc-offline") || name.equals("big-change");
            if (!offline) {
                cluster.connect(a, b);
            }
            SyncBackend na = cluster.node(a);
            SyncBackend nb = cluster.node(b);
            System.err.printf("loopback %s %s: %s%n", transport, name, CASES.get(name));
            long t0 = System.nanoTime();
            long done;
            if (name.equals("docs")) {
                ArrivalLog log = new ArrivalLog();
                nb.addRemoteChangeListener(log, Runnable::run);
                CompletableFuture<Void> last = null;
                for (int i = 0; i < 1000; i++) {
                    DocKey key = DocKey.of("loopback", "doc-" + i);
                    log.emitted(key, System.nanoTime());
                    String payload = Emitter.letters(400);
                    last = na.change(key, tx -> tx.set(ObjectId.ROOT, "payload", payload)).toCompletableFuture();
                }
                last.get(timeout, TimeUnit.SECONDS);
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeout);
                while (!log.complete() && System.nanoTime() < end) {
                    Thread.sleep(5); // polling the arrival log with a deadline
                }
                done = log.complete() ? System.nanoTime() : -1;
                row.put("arrived", log.delivered());
            } else {
                DocKey key = DocKey.of("loopback", name);
                try (Convergence c = new Convergence(nb, key, d -> d.get(ObjectId.ROOT, "done").isPresent())) {
                    write(na, key, name);
                    if (offline) {
                        row.put("write s", (System.nanoTime() - t0) / 1e9);
                        t0 = System.nanoTime(); // timed from the connect
                        cluster.connect(a, b);
                    }
                    done = c.await(timeout, TimeUnit.SECONDS);
                }
                if (name.startsWith("changes")) {
                    row.put("counter at b", BenchCluster.get(nb.read(key, d -> d.get(ObjectId.ROOT, "count")
                            .map(v -> ((AmValue.Counter) v).getValue()).orElse(-1L))).orElse(-1L));
                }
            }
            row.put("seconds", done < 0 ? Double.NaN : (done - t0) / 1e9);
            if (done < 0) {
                row.put("error", "not converged within " + timeout + " s");
            }
            PeerMetrics ma = BenchCluster.metrics(na, nb.peerId());
            PeerMetrics mb = BenchCluster.metrics(nb, na.peerId());
            row.put("a>b MB", ma.bytesSent() / 1e6);
            row.put("b>a MB", mb.bytesSent() / 1e6);
            row.put("a>b frames", ma.framesSent().values().stream().mapToLong(Long::longValue).sum());
            row.put("reconnects", ma.reconnects() + mb.reconnects());
            row.put("cpu s", resources.cpuSeconds());
            row.put("peak heap MiB", resources.peakHeapBytes() / 1048576.0);
            row.put("peak RSS MiB", resources.peakRssBytes() / 1048576.0);
        }
        return row;
    }

    private static void write(SyncBackend a, DocKey key, String name) throws Exception {
        CompletableFuture<Void> last;
        switch (name) {
            case "changes", "changes-1k", "changes-100k" -> {
                int count = name.equals("changes-1k") ? 1_000 : name.equals("changes-100k") ? 100_000 : 10_000;
                BenchCluster.get(a.change(key, tx -> tx.set(ObjectId.ROOT, "count", org.automerge.NewValue.counter(0))));
                last = null;
                for (int i = 1; i <= count; i++) {
                    if (i % 32_768 == 0) {
                        last.get(10, TimeUnit.MINUTES); // stay under SyncConfig.coordinatorQueue (65,536 calls waiting)
                    }
                    int n = i;
                    last = a.change(key, tx -> {
                        tx.increment(ObjectId.ROOT, "count", 1);
                        tx.set(ObjectId.ROOT, "last", n);
                        if (n == count) {
                            tx.set(ObjectId.ROOT, "done", true);
                        }
                    }).toCompletableFuture();
                }
            }
            case "text-one" -> last = a.change(key, tx -> {
                ObjectId text = tx.set(ObjectId.ROOT, "text", ObjectType.TEXT);
                tx.spliceText(text, 0, 0, Emitter.letters(10 << 20));
                tx.set(ObjectId.ROOT, "done", true);
            }).toCompletableFuture();
            case "text-appends" -> {
                BenchCluster.get(a.change(key, tx -> tx.set(ObjectId.ROOT, "text", ObjectType.TEXT)));
                last = null;
                for (int i = 0; i < 10; i++) {
                    int n = i;
                    String chunk = Emitter.letters(1 << 20);
                    last = a.change(key, tx -> {
                        ObjectId text = ((AmValue.Text) textOf(tx)).getId();
                        tx.spliceText(text, (long) n << 20, 0, chunk);
                        if (n == 9) {
                            tx.set(ObjectId.ROOT, "done", true);
                        }
                    }).toCompletableFuture();
                }
            }
            case "big-change" -> {
                byte[] blob = new byte[50_000_000];
                new java.util.Random(1).nextBytes(blob);
                last = a.change(key, tx -> {
                    tx.set(ObjectId.ROOT, "blob", blob);
                    tx.set(ObjectId.ROOT, "done", true);
                }).toCompletableFuture();
            }
            case "big-doc", "big-doc-offline" -> {
                last = null;
                java.util.Random r = new java.util.Random(1);
                for (int i = 0; i < 763; i++) {
                    byte[] blob = new byte[64 * 1024];
                    r.nextBytes(blob);
                    int n = i;
                    last = a.change(key, tx -> {
                        tx.set(ObjectId.ROOT, "blob-" + n, blob);
                        if (n == 762) {
                            tx.set(ObjectId.ROOT, "done", true);
                        }
                    }).toCompletableFuture();
                }
            }
            default -> throw new IllegalArgumentException("no loopback case '" + name + "'; the cases are " + CASES.keySet());
        }
        last.get(10, TimeUnit.MINUTES);
    }

    private static AmValue textOf(org.automerge.Transaction tx) {
        return tx.get(ObjectId.ROOT, "text").orElseThrow();
    }
}
