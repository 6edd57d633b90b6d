package io.peat.bench;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * The benchmark runner: {@code shaped}, {@code loopback}, {@code raw}, {@code fanout},
 * {@code reconnect}, and {@code baseline} (the loopback cases on automerge-repo). Each prints a
 * Markdown table on stdout, writes it with JSON and charts to {@code --out}, and reports progress
 * on stderr. Every measured run happens in a child process: a child JVM, or {@code node} for the
 * baseline.
 */
@Command(name = "peat-bench", mixinStandardHelpOptions = true,
        description = "Measures peat-java's transports: shaped links, loopback throughput, raw streams, fan-out, reconnects;"
                + " and automerge-repo on the loopback cases as a baseline.",
        subcommands = {ShapedCommand.class, LoopbackCommand.class, RawCommand.class, FanoutCommand.class, ReconnectCommand.class,
            BaselineCommand.class, BenchMain.Child.class})
public final class BenchMain implements Callable<Integer> {

    /**
     * @param args a scenario and its options; {@code --help} lists them
     */
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        long t0 = System.nanoTime();
        int code = new CommandLine(new BenchMain()).execute(args);
        if (args.length > 0 && !args[0].equals("child")) {
            long s = (System.nanoTime() - t0) / 1_000_000_000L;
            System.err.printf("peat-bench %s: finished in %d min %02d s%n", args[0], s / 60, s % 60);
        }
        System.exit(code);
    }

    @Override
    public Integer call() {
        CommandLine.usage(this, System.out);
        return 2;
    }

    /** The child JVM's entry: runs one trial. */
    @Command(name = "child", hidden = true)
    static final class Child implements Callable<Integer> {
        @Parameters(index = "0")
        String trial;

        @Parameters(index = "1..*", arity = "0..*")
        List<String> params = List.of();

        @Override
        public Integer call() {
            return ChildJvm.child(trial, params);
        }
    }
}
