package io.peat.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One node writing new documents at a fixed rate to N peers on loopback: delivery at each, latency, memory. */
final class FanoutTrial implements Trial {

    @Override
    public Map<String, Object> run(Map<String, String> raw) throws Exception {
        Params p = new Params(raw);
        String transport = p.string("transport");
        int peers = p.integer("peers");
        double hz = Double.parseDouble(p.string("rate"));
        int duration = p.integer("duration");
        int drain = p.integer("drain");
        int count = (int) Math.round(hz * duration);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("transport", transport);
        row.put("peers", peers);
        try (BenchCluster cluster = new BenchCluster(transport, raw.getOrDefault("properties", ""));
                ResourceSampler resources = new ResourceSampler()) {
            int hub = cluster.addNode();
            List<ArrivalLog> logs = new ArrayList<>();
            for (int i = 0; i < peers; i++) {
                int n = cluster.addNode();
                ArrivalLog log = new ArrivalLog();
                cluster.node(n).addRemoteChangeListener(log, Runnable::run);
                logs.add(log);
                cluster.connect(hub, n);
            }
            System.err.printf("fanout %s: %d documents at %.0f Hz to %d peers%n", transport, count, hz, peers);
            try (Emitter e = new Emitter("hub", cluster.node(hub), hz, count, 400, logs.toArray(ArrivalLog[]::new))) {
                long start = System.nanoTime();
                while (!e.await(10, TimeUnit.SECONDS) && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(duration + 60L)) {
                    System.err.printf("  %3.0f s: %d written; arrived at the slowest peer %d%n", (System.nanoTime() - start) / 1e9,
                            logs.get(0).emittedCount(), logs.stream().mapToInt(ArrivalLog::delivered).min().orElse(0));
                }
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(drain);
                while (System.nanoTime() < end && !logs.stream().allMatch(ArrivalLog::complete)) {
                    Thread.sleep(50); // polling the logs with a deadline: the drain phase
                }
                row.put("refused", e.refused());
            }
            List<Double> lat = new ArrayList<>();
            double worst = 100;
            double best = 0;
            for (ArrivalLog log : logs) {
                double d = 100.0 * log.delivered() / Math.max(1, log.emittedCount());
                worst = Math.min(worst, d);
                best = Math.max(best, d);
                lat.addAll(log.latenciesMs());
            }
            row.put("worst peer %", worst);
            row.put("best peer %", best);
            row.put("p50 ms", Stats.quantile(lat, 0.5));
            row.put("p99 ms", Stats.quantile(lat, 0.99));
            row.put("max ms", Stats.max(lat));
            row.put("cpu s", resources.cpuSeconds());
            row.put("peak heap MiB", resources.peakHeapBytes() / 1048576.0);
            row.put("peak RSS MiB", resources.peakRssBytes() / 1048576.0);
        }
        return row;
    }
}
