package io.peat.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code reconnect}: what a cut link costs with N documents held. */
@Command(name = "reconnect", mixinStandardHelpOptions = true,
        description = "Two nodes holding N synced documents; the link is cut (no close), a new document is written: time until the peer "
                + "has it, and the bytes sent after the cut.")
final class ReconnectCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--docs", split = ",", defaultValue = "100,1000,5000", description = "documents held (default: ${DEFAULT-VALUE})")
    List<Integer> docs;

    @Option(names = "--timeout", defaultValue = "120", description = "seconds each wait may take (default: ${DEFAULT-VALUE})")
    int timeout;

    @Override
    public Integer call() throws Exception {
        Report report = new Report("reconnect", "Reconnect after a cut link (QUIC: noticed by the 5 s idle timeout)",
                List.of("transport", "docs held", "converge s", "frame KB after cut", "frame B per doc held", "wire KB after cut",
                        "reconnects", "error"));
        Report.Chart chart = report.chart("", "Frame bytes sent after a cut", "documents held", "KB", false);
        for (String t : common.transports) {
            for (int n : docs) {
                System.err.printf("[reconnect] %s with %d documents%n", t, n);
                Map<String, Object> row = ChildJvm.run("reconnect", Map.of("properties", common.propertiesParam(),
                        "transport", t, "docs", Integer.toString(n),
                        "timeout", Integer.toString(timeout)), common.heap, Duration.ofSeconds(4L * timeout));
                row.putIfAbsent("transport", t);
                row.putIfAbsent("docs held", n);
                report.add(row);
                chart.point(t, Integer.toString(n), (Number) row.get("frame KB after cut"));
            }
        }
        report.write(common.out, System.out);
        return 0;
    }
}
