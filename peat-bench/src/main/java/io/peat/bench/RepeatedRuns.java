package io.peat.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one trial N times in fresh child JVMs and folds numeric columns to "median (min-max)"; a run
 * that fails (a timeout, say) ends the repetition, so a case that cannot converge costs one timeout.
 */
final class RepeatedRuns {
    private RepeatedRuns() {
    }

    /**
     * @param keep identifying columns copied from the parameters
     * @param numeric the columns to fold
     * @return one row: the folded columns, {@code runs}, and every run's values under {@code each}
     */
    static Map<String, Object> run(String trial, Map<String, String> params, int runs, String heap, Duration limit, List<String> keep,
            List<String> numeric) {
        List<Map<String, Object>> each = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            System.err.printf("  run %d of %d%n", i + 1, runs);
            Map<String, Object> r = ChildJvm.run(trial, params, heap, limit);
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

    private static int digits(List<Double> v) {
        double max = v.stream().mapToDouble(Math::abs).max().orElse(0);
        return max >= 100 ? 0 : max >= 10 ? 1 : 2;
    }
}
