package io.peat.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fanout}: one writer, many readers. */
@Command(name = "fanout", mixinStandardHelpOptions = true,
        description = "One node writing new 400-byte documents at a fixed rate to N peers on loopback: delivery at each, latency, heap, RSS.")
final class FanoutCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--peers", defaultValue = "7", description = "readers (default: ${DEFAULT-VALUE})")
    int peers;

    @Option(names = "--rate", defaultValue = "25", description = "new documents per second (default: ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--duration", defaultValue = "30", description = "seconds of writing (default: ${DEFAULT-VALUE})")
    int duration;

    @Option(names = "--drain", defaultValue = "10", description = "most seconds to wait for stragglers (default: ${DEFAULT-VALUE})")
    int drain;

    @Override
    public Integer call() throws Exception {
        Report report = new Report("fanout", String.format("Fan-out: one node, %s new documents/s for %d s, to %d peers on loopback",
                ShapedCommand.fmt(rate), duration, peers),
                List.of("transport", "peers", "worst peer %", "best peer %", "p50 ms", "p99 ms", "max ms", "cpu s", "peak heap MiB",
                        "peak RSS MiB", "error"));
        Report.Chart chart = report.chart("", "Fan-out emit-to-arrival", "transport", "ms", true);
        for (String t : common.transports) {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("transport", t);
            p.put("properties", common.propertiesParam());
            p.put("peers", Integer.toString(peers));
            p.put("rate", Double.toString(rate));
            p.put("duration", Integer.toString(duration));
            p.put("drain", Integer.toString(drain));
            System.err.printf("[fanout] %s%n", t);
            Map<String, Object> row = ChildJvm.run("fanout", p, common.heap, Duration.ofSeconds(duration + drain + 120L));
            row.putIfAbsent("transport", t);
            report.add(row);
            chart.point("p50", t, (Number) row.get("p50 ms"));
            chart.point("p99", t, (Number) row.get("p99 ms"));
        }
        report.write(common.out, System.out);
        return 0;
    }
}
