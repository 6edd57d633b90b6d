package io.peat.bench;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** Options every scenario takes. */
final class CommonOptions {
    @Option(names = "--transport", split = ",", defaultValue = "inmem,netty,kwik",
            description = "transports to measure, comma-separated (default: ${DEFAULT-VALUE})")
    List<String> transports;

    @Option(names = "--out", defaultValue = "bench-results", description = "where the .md, .json and .png go (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--heap", defaultValue = "4g", description = "each child JVM's -Xmx (default: ${DEFAULT-VALUE})")
    String heap;
}
