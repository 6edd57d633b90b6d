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

    @Option(names = "--property", description = "KEY=VALUE for every node's TransportConfig (repeatable), e.g. netty.congestionControl=bbr")
    java.util.Map<String, String> properties = new java.util.LinkedHashMap<>();

    /** @return the properties as one trial parameter */
    String propertiesParam() {
        StringBuilder sb = new StringBuilder();
        properties.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ";").append(k).append('=').append(v));
        return sb.toString();
    }

    @Option(names = "--heap", defaultValue = "4g", description = "each child JVM's -Xmx (default: ${DEFAULT-VALUE})")
    String heap;
}
