package io.peat.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code raw}: the bare stream against the sync layer carrying the same bytes. */
@Command(name = "raw", mixinStandardHelpOptions = true,
        description = "50 MB over one bare ByteStream against the same bytes as 64 KiB document changes through the sync layer.")
final class RawCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--megabytes", defaultValue = "50", description = "how much (default: ${DEFAULT-VALUE})")
    int megabytes;

    @Option(names = "--runs", defaultValue = "3", description = "runs per transport (default: ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--timeout", defaultValue = "300", description = "seconds each half may take (default: ${DEFAULT-VALUE})")
    int timeout;

    @Override
    public Integer call() throws Exception {
        Report report = new Report("raw", megabytes + " MB: one bare stream against the sync layer, median of " + runs + " runs (min-max)",
                List.of("transport", "stream s", "sync s", "stream MB/s", "sync MB/s", "sync / stream", "failed runs", "error"));
        Report.Chart chart = report.chart("", "Throughput, bare stream and sync layer (median)", "transport", "MB/s", true);
        for (String t : common.transports) {
            System.err.printf("[raw] %s%n", t);
            Map<String, Object> row = RepeatedRuns.run("raw", Map.of("properties", common.propertiesParam(),
                        "transport", t, "megabytes", Integer.toString(megabytes),
                    "timeout", Integer.toString(timeout)), runs, common.heap, Duration.ofSeconds(2L * timeout + 120),
                    List.of("transport"), List.of("stream s", "sync s", "stream MB/s", "sync MB/s", "sync / stream"));
            report.add(row);
            chart.point("bare stream", t, (Number) row.get("stream MB/s median"));
            chart.point("sync layer", t, (Number) row.get("sync MB/s median"));
        }
        report.write(common.out, System.out);
        return 0;
    }
}
