package io.peat.bench;

import io.peat.sync.PeerMetrics;
import io.peat.sync.SyncBackend;
import io.peat.sync.wire.MessageType;
import io.peat.tck.UdpFaultRelay.Direction;
import io.peat.tck.UdpShapingRelay;
import io.peat.tck.UdpShapingRelay.Shape;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * SPEC section 6 on one transport at one rate: two nodes on a shaped link, each writing a new
 * document per emission; delivery each way, emit-to-arrival, bytes per document on the frames and
 * on the wire, frames per type, datagrams per frame.
 */
final class ShapedTrial implements Trial {

    @Override
    public Map<String, Object> run(Map<String, String> raw) throws Exception {
        Params p = new Params(raw);
        String transport = p.string("transport");
        double hz = Double.parseDouble(p.string("rate"));
        int duration = p.integer("duration");
        int drain = p.integer("drain");
        int payload = p.integer("payload");
        Shape shape = new Shape(p.number("bytesPerSecond"), p.integer("burst"), Duration.ofMillis(p.number("delayMs")),
                p.integer("queue"));
        int count = (int) Math.round(hz * duration);
        Map<String, Object> row = new LinkedHashMap<>();
        try (BenchCluster cluster = new BenchCluster(transport, raw.getOrDefault("properties", ""));
                ResourceSampler resources = new ResourceSampler()) {
            int a = cluster.addNode();
            int b = cluster.addNode();
            ArrivalLog ab = new ArrivalLog();
            ArrivalLog ba = new ArrivalLog();
            cluster.node(b).addRemoteChangeListener(ab, Runnable::run);
            cluster.node(a).addRemoteChangeListener(ba, Runnable::run);
            cluster.connectShaped(a, b, shape);
            System.err.printf("shaped %s %.0f Hz: %d documents each way over %d s%n", transport, hz, count, duration);
            long t0 = System.nanoTime();
            try (Emitter ea = new Emitter("a", cluster.node(a), hz, count, payload, ab);
                    Emitter eb = new Emitter("b", cluster.node(b), hz, count, payload, ba)) {
                long start = System.nanoTime();
                while (!ea.await(10, TimeUnit.SECONDS) && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(duration + 60L)) {
                    System.err.printf("  %3.0f s: a>b %d of %d arrived, b>a %d of %d%n", (System.nanoTime() - start) / 1e9, ab.delivered(),
                            ab.emittedCount(), ba.delivered(), ba.emittedCount());
                }
                eb.await(60, TimeUnit.SECONDS);
                long drainEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(drain);
                while (System.nanoTime() < drainEnd && !(ab.complete() && ba.complete())) {
                    Thread.sleep(50); // polling the logs with a deadline: the drain phase of the benchmark
                }
                row.put("refused", ea.refused() + eb.refused());
            }
            row.put("seconds", (System.nanoTime() - t0) / 1e9);
            int emitted = ab.emittedCount() + ba.emittedCount();
            double dab = 100.0 * ab.delivered() / Math.max(1, ab.emittedCount());
            double dba = 100.0 * ba.delivered() / Math.max(1, ba.emittedCount());
            row.put("transport", transport);
            row.put("rate Hz", hz);
            row.put("a>b %", dab);
            row.put("b>a %", dba);
            row.put("worst %", Math.min(dab, dba));
            List<Double> lat = ab.latenciesMs();
            lat.addAll(ba.latenciesMs());
            row.put("p50 ms", Stats.quantile(lat, 0.5));
            row.put("p99 ms", Stats.quantile(lat, 0.99));
            row.put("max ms", Stats.max(lat));
            SyncBackend na = cluster.node(a);
            SyncBackend nb = cluster.node(b);
            PeerMetrics ma = BenchCluster.metrics(na, nb.peerId());
            PeerMetrics mb = BenchCluster.metrics(nb, na.peerId());
            long frameBytes = ma.bytesSent() + mb.bytesSent();
            long frames = 0;
            Map<String, Object> perType = new LinkedHashMap<>();
            for (MessageType t : MessageType.values()) {
                long n = ma.sent(t) + mb.sent(t);
                frames += n;
                if (n > 0) {
                    perType.put(t.name(), (double) n / Math.max(1, emitted));
                }
            }
            row.put("frame B/doc", (double) frameBytes / Math.max(1, emitted));
            row.put("frames/doc", (double) frames / Math.max(1, emitted));
            row.put("frames per type per doc", perType);
            Optional<UdpShapingRelay> relay = cluster.shaper(a, b);
            if (relay.isPresent()) {
                UdpShapingRelay.Stats to = relay.get().stats(Direction.TO_TARGET);
                UdpShapingRelay.Stats from = relay.get().stats(Direction.FROM_TARGET);
                long datagrams = to.offeredDatagrams() + from.offeredDatagrams();
                row.put("wire B/doc", (double) (to.offeredBytes() + from.offeredBytes()) / Math.max(1, emitted));
                row.put("datagrams/frame", (double) datagrams / Math.max(1, frames));
                row.put("dropped", to.droppedDatagrams() + from.droppedDatagrams());
                row.put("small datagrams %", 100.0 * (to.datagramsBySize()[0] + from.datagramsBySize()[0]) / Math.max(1, datagrams));
                row.put("relay a>b", to);
                row.put("relay b>a", from);
            }
            row.put("reconnects", ma.reconnects() + mb.reconnects());
            row.put("peak heap MiB", resources.peakHeapBytes() / 1048576.0);
            row.put("peak RSS MiB", resources.peakRssBytes() / 1048576.0);
            row.put("cpu s", resources.cpuSeconds());
        }
        return row;
    }
}
