package io.peat.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code shaped}: SPEC section 6 on every transport and rate, one child JVM per cell. */
@Command(name = "shaped", mixinStandardHelpOptions = true,
        description = "SPEC section 6: two nodes on a shaped link (token bucket, delay, drop-tail queue), each writing a new document per "
                + "emission; delivery, emit-to-arrival, bytes per document, datagrams per frame.")
final class ShapedCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--rates", split = ",", defaultValue = "1,10,25,50", description = "emissions per second per side (default: ${DEFAULT-VALUE})")
    List<Double> rates;

    @Option(names = "--duration", defaultValue = "30", description = "seconds of emission (default: ${DEFAULT-VALUE})")
    int duration;

    @Option(names = "--drain", defaultValue = "10", description = "most seconds to wait for stragglers (default: ${DEFAULT-VALUE})")
    int drain;

    @Option(names = "--link-kbit", defaultValue = "256", description = "link rate each way, kbit/s (default: ${DEFAULT-VALUE})")
    long kbit;

    @Option(names = "--burst", defaultValue = "1500", description = "token bucket size, bytes (default: ${DEFAULT-VALUE})")
    int burst;

    @Option(names = "--delay-ms", defaultValue = "100", description = "one-way delay (default: ${DEFAULT-VALUE})")
    long delayMs;

    @Option(names = "--payload", defaultValue = "400", description = "payload bytes per document (default: ${DEFAULT-VALUE})")
    int payload;

    @Option(names = "--queue", defaultValue = "65536", description = "drop-tail queue limit, bytes (UDP relay only) (default: ${DEFAULT-VALUE})")
    int queue;

    @Override
    public Integer call() throws Exception {
        Report report = new Report("shaped", String.format("Shaped link: %d kbit/s each way, %d B burst, +%d ms one way, %d B payload, "
                + "%d s + up to %d s drain", kbit, burst, delayMs, payload, duration, drain),
                List.of("transport", "rate Hz", "a>b %", "b>a %", "worst %", "p50 ms", "p99 ms", "max ms", "frame B/doc", "wire B/doc",
                        "frames/doc", "datagrams/frame", "small datagrams %", "dropped", "reconnects", "error"));
        Report.Chart delivery = report.chart("", "Worst-direction delivery (SPEC 6)", "emissions per second per side", "delivered %", false);
        Report.Chart latency = report.chart("-latency", "Median emit-to-arrival", "emissions per second per side", "ms", false);
        for (String t : common.transports) {
            for (double hz : rates) {
                Map<String, String> p = new LinkedHashMap<>();
                p.put("transport", t);
                p.put("properties", common.propertiesParam());
                p.put("rate", Double.toString(hz));
                p.put("duration", Integer.toString(duration));
                p.put("drain", Integer.toString(drain));
                p.put("payload", Integer.toString(payload));
                p.put("bytesPerSecond", Long.toString(kbit * 1000 / 8));
                p.put("burst", Integer.toString(burst));
                p.put("delayMs", Long.toString(delayMs));
                p.put("queue", Integer.toString(queue));
                System.err.printf("[shaped] %s at %s Hz (%d s + up to %d s)%n", t, fmt(hz), duration, drain);
                Map<String, Object> row = ChildJvm.run("shaped", p, common.heap, Duration.ofSeconds(duration + drain + 120L));
                row.putIfAbsent("transport", t);
                row.putIfAbsent("rate Hz", hz);
                report.add(row);
                delivery.point(t, fmt(hz), (Number) row.get("worst %"));
                latency.point(t, fmt(hz), (Number) row.get("p50 ms"));
            }
        }
        report.write(common.out, System.out);
        return 0;
    }

    static String fmt(double hz) {
        return hz == Math.rint(hz) ? Long.toString((long) hz) : Double.toString(hz);
    }
}
