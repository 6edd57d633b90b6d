package io.peat.bench;

import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A measured run in a process of its own (a child JVM, or a baseline written in another language)
 * that prints its result as one line {@code RESULT <json>} on stdout. Its other stdout lines and its
 * stderr (progress) pass through to this process's stderr. A process that outlives its time limit
 * is killed, with every process it started, and its row says so.
 */
final class ResultProcess {
    static final String RESULT = "RESULT ";
    private static final Gson GSON = new Gson();

    private ResultProcess() {
    }

    /**
     * @param command the process to start (its stderr is inherited here)
     * @param limit how long it may run
     * @param what what it is, for the error when it cannot start ("a child JVM")
     * @return its values, or {@code error} = why there are none
     */
    static Map<String, Object> run(ProcessBuilder command, Duration limit, String what) {
        Map<String, Object> out = new LinkedHashMap<>();
        String[] result = {null};
        try {
            OptionalInt exit = exec(command.redirectError(ProcessBuilder.Redirect.INHERIT), limit, line -> {
                if (line.startsWith(RESULT)) {
                    result[0] = line.substring(RESULT.length());
                } else {
                    System.err.println("  | " + line);
                }
            });
            if (exit.isEmpty()) {
                out.put("error", "timeout: no result within " + limit.toSeconds() + " s");
                return out;
            }
            if (result[0] == null) {
                out.put("error", "the child exited with " + exit.getAsInt() + " and no result");
                return out;
            }
            return GSON.fromJson(result[0], new TypeToken<LinkedHashMap<String, Object>>() { }.getType());
        } catch (IOException e) {
            out.put("error", "cannot start " + what + ": " + e.getMessage());
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.put("error", "interrupted");
            return out;
        }
    }

    /**
     * Runs a process to its end, or kills it (with every process it started) when it outlives
     * {@code limit}.
     *
     * @param command the process to start
     * @param lines gets each line it prints on stdout, on a thread of its own
     * @return its exit code, or empty when it was killed for outliving {@code limit}
     * @throws IOException when it cannot start
     */
    static OptionalInt exec(ProcessBuilder command, Duration limit, Consumer<String> lines) throws IOException, InterruptedException {
        Process p = command.start();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.accept(line);
                }
            } catch (IOException e) {
                // the child went away
            }
        }, "bench-child-reader");
        reader.start();
        if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            return OptionalInt.empty();
        }
        reader.join(10_000);
        return OptionalInt.of(p.exitValue());
    }

    /**
     * The child's side: prints its values as the result line. NaN and infinities (nothing measured)
     * are left out: JSON has none.
     */
    static void print(Map<String, Object> values) {
        values.values().removeIf(v -> v instanceof Double d && (d.isNaN() || d.isInfinite()));
        System.out.println(RESULT + GSON.toJson(values));
        System.out.flush();
    }
}
