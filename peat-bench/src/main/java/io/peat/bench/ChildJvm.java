package io.peat.bench;

import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@link Trial} in a child JVM on this JVM's class path and reads back its result line
 * ({@code RESULT <json>} on stdout); the child's stderr (progress) passes through. A child that
 * outlives its time limit is killed and its row says so.
 */
final class ChildJvm {
    static final String RESULT = "RESULT ";
    private static final Gson GSON = new Gson();

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
        Map<String, Object> out = new LinkedHashMap<>();
        try {
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String[] result = {null};
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        if (line.startsWith(RESULT)) {
                            result[0] = line.substring(RESULT.length());
                        } else {
                            System.err.println("  | " + line);
                        }
                    }
                } catch (IOException e) {
                    // the child went away
                }
            }, "bench-child-reader");
            reader.start();
            if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                out.put("error", "timeout: no result within " + limit.toSeconds() + " s");
                return out;
            }
            reader.join(10_000);
            if (result[0] == null) {
                out.put("error", "the child exited with " + p.exitValue() + " and no result");
                return out;
            }
            return GSON.fromJson(result[0], new TypeToken<LinkedHashMap<String, Object>>() { }.getType());
        } catch (IOException e) {
            out.put("error", "cannot start a child JVM: " + e.getMessage());
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.put("error", "interrupted");
            return out;
        }
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
        // NaN (nothing measured) is left out: JSON has no NaN.
        values.values().removeIf(v -> v instanceof Double d && (d.isNaN() || d.isInfinite()));
        System.out.println(RESULT + GSON.toJson(values));
        System.out.flush();
        return 0;
    }
}
