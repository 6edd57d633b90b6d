package io.peat.bench;

import java.util.List;
import picocli.CommandLine.Option;

/** Options of the scenarios that run the {@link LoopbackTrial} cases: {@code loopback} and {@code baseline}. */
final class LoopbackOptions {
    @Option(names = "--cases", split = ",", defaultValue = LoopbackTrial.DEFAULT_CASES,
            description = "cases to run (default: ${DEFAULT-VALUE}; also changes-1k, changes-100k)")
    List<String> cases;

    @Option(names = "--runs", defaultValue = "3", description = "runs per case and transport (default: ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--timeout", defaultValue = "240", description = "seconds a run may take to converge (default: ${DEFAULT-VALUE})")
    int timeout;

    /** @return whether every case is known; if not, stderr says which is not and which are */
    boolean casesKnown() {
        for (String c : cases) {
            if (!LoopbackTrial.CASES.containsKey(c)) {
                System.err.println("unknown case '" + c + "'; the cases are " + LoopbackTrial.CASES.keySet());
                return false;
            }
        }
        return true;
    }
}
