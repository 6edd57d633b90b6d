package io.peat.bench;

import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code baseline}: the {@code loopback} cases on automerge-repo (JavaScript), A to B over a loopback
 * WebSocket, so that peat-java's figures can be set beside it in the same sitting. Each run is a
 * fresh {@code node bench.mjs <case>} in {@code peat-bench/baseline/automerge-repo} (its README says
 * how the two peers are wired and what each value counts), folded by {@link RepeatedRuns} into the
 * same kind of table as {@code loopback}, with {@code automerge-repo} as the transport.
 */
@Command(name = "baseline", mixinStandardHelpOptions = true,
        description = "The loopback cases on automerge-repo (Node.js), A to B over a loopback WebSocket, each run a fresh"
                + " `node bench.mjs <case>`. Median of N runs (min-max): time, CPU, peak RSS of both peers, bytes and messages.")
final class BaselineCommand implements Callable<Integer> {
    private static final String TRANSPORT = "automerge-repo";

    @Mixin
    LoopbackOptions options;

    @Option(names = "--dir", defaultValue = "peat-bench/baseline/automerge-repo",
            description = "the baseline's folder, with bench.mjs and package-lock.json (default: ${DEFAULT-VALUE})")
    Path dir;

    @Option(names = "--out", defaultValue = "bench-results", description = "where the .md, .json and .png go (default: ${DEFAULT-VALUE})")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (!options.casesKnown()) {
            return 2;
        }
        if (!Files.isRegularFile(dir.resolve("bench.mjs"))) {
            System.err.println("baseline: no bench.mjs in " + dir.toAbsolutePath() + "; run from the repository's root or give --dir");
            return 2;
        }
        String node;
        try {
            node = tool(Duration.ofSeconds(30), "node", "--version").strip();
            if (!Files.isDirectory(dir.resolve("node_modules"))) {
                System.err.println("[baseline] no node_modules in " + dir + ": npm ci");
                tool(Duration.ofMinutes(10), "npm", "ci", "--no-audit", "--no-fund");
            }
        } catch (ToolFailed e) {
            System.err.println("baseline: " + e.getMessage());
            return 2;
        }
        List<String> numeric = List.of("seconds", "write seconds", "cpu s", "peak RSS MiB", "a>b MB", "b>a MB", "a>b messages");
        Report report = new Report("baseline", TRANSPORT + " " + version("@automerge/automerge-repo") + " on Node " + node
                + ", A to B over a loopback WebSocket, median of " + options.runs + " runs (min-max)",
                List.of("case", "transport", "seconds", "write seconds", "cpu s", "peak RSS MiB", "a>b MB", "b>a MB", "a>b messages",
                        "failed runs", "error"));
        Report.Chart chart = report.chart("", "automerge-repo baseline: seconds to converge (median)", "case", "seconds", true);
        Duration limit = Duration.ofSeconds(options.timeout + 60L);
        for (String c : options.cases) {
            System.err.printf("[baseline] %s on %s: %s%n", c, TRANSPORT, LoopbackTrial.CASES.get(c));
            ProcessBuilder run = new ProcessBuilder("node", "bench.mjs", c, "--timeout", Integer.toString(options.timeout))
                    .directory(dir.toFile());
            Map<String, Object> row = RepeatedRuns.run(Map.of("case", c, "transport", TRANSPORT), options.runs,
                    List.of("case", "transport"), numeric, () -> ResultProcess.run(run, limit, "node bench.mjs"));
            report.add(row);
            chart.point(TRANSPORT, c, (Number) row.get("seconds median"));
        }
        report.write(out, System.out);
        return 0;
    }

    /** Why a tool the baseline needs ({@code node}, {@code npm}) could not do its part. */
    private static final class ToolFailed extends Exception {
        private static final long serialVersionUID = 1L;

        ToolFailed(String message) {
            super(message);
        }
    }

    /**
     * Runs a tool in the baseline's folder; its output is copied to stderr.
     *
     * @return what it printed (stdout and stderr)
     * @throws ToolFailed when it cannot start, fails, or outlives {@code limit}, with the command in the message
     */
    private String tool(Duration limit, String... command) throws ToolFailed, InterruptedException {
        String shown = "`" + String.join(" ", command) + "` in " + dir;
        StringBuilder printed = new StringBuilder();
        OptionalInt exit;
        try {
            exit = ResultProcess.exec(new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true), limit, line -> {
                printed.append(line).append('\n');
                System.err.println(line);
            });
        } catch (IOException e) {
            throw new ToolFailed(shown + " cannot run (" + e.getMessage() + "): the baseline needs Node.js 20 or newer and npm"
                    + " on the PATH");
        }
        if (exit.isEmpty()) {
            throw new ToolFailed(shown + " did not finish within " + limit.toSeconds() + " s");
        }
        if (exit.getAsInt() != 0) {
            throw new ToolFailed(shown + " failed with exit code " + exit.getAsInt());
        }
        return printed.toString();
    }

    /** @return the installed version of an npm package of the baseline, or "?" */
    private String version(String pkg) {
        try {
            String json = Files.readString(dir.resolve("node_modules").resolve(pkg).resolve("package.json"), StandardCharsets.UTF_8);
            return JsonParser.parseString(json).getAsJsonObject().get("version").getAsString();
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }
}
