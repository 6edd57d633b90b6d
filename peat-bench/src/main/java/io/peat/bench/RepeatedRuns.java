package io.peat.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs one trial N times, each in a fresh process (a child JVM, or a baseline's own process), and
 * folds numeric columns to "median (min-max)"; a run that fails (a timeout, say) ends the
 * repetition, so a case that cannot converge costs one timeout.
 */
final class RepeatedRuns {
    private RepeatedRuns() {
    }

    /**
     * Each run in a child JVM of its own.
     *
     * @param keep identifying columns copied from the parameters
     * @param numeric the columns to fold
     * @return one row: the folded columns, {@code runs}, and every run's values under {@code each}
     */
    static Map<String, Object> run(String trial, Map<String, String> params, int runs, String heap, Duration limit, List<String> keep,
            List<String> numeric) {
        return run(params, runs, keep, numeric, () -> ChildJvm.run(trial, params, heap, limit));
    }

    /**
     * @param params the run's parameters
     * @param keep identifying columns copied from the parameters
     * @param numeric the columns to fold
     * @param once makes one run in a fresh process: its values, or {@code error}
     * @return one row: the folded columns, {@code runs}, and every run's values under {@code each}
     */
    static Map<String, Object> run(Map<String, String> params, int runs, List<String> keep, List<String> numeric,
            Supplier<Map<String, Object>> once) {
        List<Map<String, Object>> each = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            System.err.printf("  run %d of %d%n", i + 1, runs);
            Map<String, Object> r = once.get();
            each.add(r);
            if (r.containsKey("error")) {
                System.err.println("  a failed run is not repeated: " + r.get("error"));
                break;
            }
        }
        Map<String, Object> row = new LinkedHashMap<>();
        for (String k : keep) {
            row.put(k, params.get(k));
        }
        for (String c : numeric) {
            List<Double> v = new ArrayList<>();
            for (Map<String, Object> r : each) {
                if (r.get(c) instanceof Number n && !Double.isNaN(n.doubleValue())) {
                    v.add(n.doubleValue());
                }
            }
            row.put(c, Stats.medianRange(v, digits(v)));
            row.put(c + " median", v.isEmpty() ? Double.NaN : Stats.quantile(v, 0.5));
        }
        List<String> errors = each.stream().filter(r -> r.containsKey("error")).map(r -> String.valueOf(r.get("error"))).distinct().toList();
        row.put("runs", each.size());
        row.put("failed runs", each.stream().filter(r -> r.containsKey("error")).count());
        if (!errors.isEmpty()) {
            row.put("error", String.join("; ", errors));
        }
        row.put("each", each);
        return row;
    }

    /** @return decimals for "median (min-max)": none for counts, two significant digits below 1 */
    static int digits(List<Double> v) {
        double max = v.stream().mapToDouble(Math::abs).max().orElse(0);
        if (max >= 100 || v.stream().allMatch(x -> x == Math.rint(x))) {
            return 0;
        }
        if (max >= 1) {
            return max >= 10 ? 1 : 2;
        }
        return Math.min(6, (int) Math.ceil(-Math.log10(max)) + 1);
    }
}
