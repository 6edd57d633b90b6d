package io.peat.bench;

import java.util.Arrays;
import java.util.Collection;

/** Order statistics over measured values. */
final class Stats {
    private Stats() {
    }

    /**
     * @param values the values (any order)
     * @param p a quantile in [0, 1]
     * @return the nearest-rank quantile, or NaN when there are no values
     */
    static double quantile(Collection<? extends Number> values, double p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] v = values.stream().mapToDouble(Number::doubleValue).sorted().toArray();
        int rank = (int) Math.ceil(p * v.length);
        return v[Math.max(0, Math.min(v.length - 1, rank - 1))];
    }

    /**
     * @param values measured values of repeated runs
     * @return "median (min-max)", rounded to {@code digits}
     */
    static String medianRange(Collection<? extends Number> values, int digits) {
        if (values.isEmpty()) {
            return "-";
        }
        double[] v = values.stream().mapToDouble(Number::doubleValue).sorted().toArray();
        String fmt = "%,." + digits + "f";
        String median = String.format(fmt, quantile(values, 0.5));
        return v.length == 1 ? median : median + " (" + String.format(fmt, v[0]) + "-" + String.format(fmt, v[v.length - 1]) + ")";
    }

    /**
     * @param values values
     * @return their maximum, NaN when none
     */
    static double max(Collection<? extends Number> values) {
        return values.stream().mapToDouble(Number::doubleValue).max().orElse(Double.NaN);
    }

    static double[] sorted(Collection<? extends Number> values) {
        double[] v = values.stream().mapToDouble(Number::doubleValue).toArray();
        Arrays.sort(v);
        return v;
    }
}
