package io.peat.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a {@link Trial} in a child JVM on this JVM's class path and reads back its result line
 * through {@link ResultProcess}: the child's progress passes through, and a child that outlives its
 * time limit is killed and its row says so.
 */
final class ChildJvm {
    private ChildJvm() {
    }

    /**
     * @param trial the trial's name in {@link Trials}
     * @param params its parameters
     * @param heap the child's -Xmx, e.g. {@code 4g}
     * @param limit how long it may run
     * @return the trial's values, or {@code error} = why there are none
     */
    static Map<String, Object> run(String trial, Map<String, String> params, String heap, Duration limit) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--enable-native-access") || arg.startsWith("-Dorg.slf4j") || arg.startsWith("-Djava.awt")) {
                cmd.add(arg);
            }
        }
        cmd.add("-Xmx" + heap);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(BenchMain.class.getName());
        cmd.add("child");
        cmd.add(trial);
        params.forEach((k, v) -> cmd.add(k + "=" + v));
        return ResultProcess.run(new ProcessBuilder(cmd), limit, "a child JVM");
    }

    /** The child's side: run the trial, print its result line, exit. */
    static int child(String trial, List<String> args) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq < 0) {
                System.err.println("not key=value: " + a);
                return 2;
            }
            params.put(a.substring(0, eq), a.substring(eq + 1));
        }
        Map<String, Object> values;
        try {
            values = Trials.get(trial).run(params);
        } catch (Exception | Error e) {
            e.printStackTrace();
            values = new LinkedHashMap<>();
            values.put("error", e.toString());
        }
        ResultProcess.print(values);
        return 0;
    }
}
