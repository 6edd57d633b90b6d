package io.peat.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code loopback}: throughput and memory cases, A to B on loopback, N runs each in fresh JVMs. */
@Command(name = "loopback", mixinStandardHelpOptions = true,
        description = "A to B on loopback: 1,000 new documents; 10,000 changes to one (or 1,000, 100,000); 10 MiB of text in one"
                + " change and as 10 appends; a 50 MB document. Median of N runs (min-max): time, CPU, peak heap, peak RSS.")
final class LoopbackCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    LoopbackOptions options;

    @Override
    public Integer call() throws Exception {
        if (!options.casesKnown()) {
            return 2;
        }
        List<String> numeric = List.of("seconds", "cpu s", "peak heap MiB", "peak RSS MiB", "a>b MB");
        Report report = new Report("loopback", "Loopback, A to B, median of " + options.runs + " runs (min-max)",
                List.of("case", "transport", "seconds", "cpu s", "peak heap MiB", "peak RSS MiB", "a>b MB", "failed runs", "error"));
        Report.Chart chart = report.chart("", "Loopback: seconds to converge (median)", "case", "seconds", true);
        for (String c : options.cases) {
            for (String t : common.transports) {
                System.err.printf("[loopback] %s on %s: %s%n", c, t, LoopbackTrial.CASES.get(c));
                Map<String, Object> row = RepeatedRuns.run("loopback", Map.of("properties", common.propertiesParam(),
                        "transport", t, "case", c, "timeout", Integer.toString(options.timeout)),
                        options.runs, common.heap, Duration.ofSeconds(options.timeout + 180L), List.of("case", "transport"), numeric);
                report.add(row);
                chart.point(t, c, (Number) row.get("seconds median"));
            }
        }
        report.write(common.out, System.out);
        return 0;
    }
}
