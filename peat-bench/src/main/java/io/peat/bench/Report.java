package io.peat.bench;

import com.google.gson.GsonBuilder;
import java.awt.BasicStroke;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * One scenario's results: a Markdown table on stdout, the same rows as JSON, and a chart as PNG, in
 * the output directory as {@code <scenario>.md}, {@code <scenario>.json} and {@code <scenario>.png}.
 * Every row carries when, on which commit and on what machine it was measured.
 */
final class Report {
    private final String scenario;
    private final String title;
    private final List<String> columns;
    private final List<Map<String, Object>> rows = new ArrayList<>();
    private final Map<String, Chart> charts = new LinkedHashMap<>();

    /** A chart over categories (line or bars), written as {@code <scenario><suffix>.png}. */
    static final class Chart {
        private final DefaultCategoryDataset data = new DefaultCategoryDataset();
        private final String title;
        private final String x;
        private final String y;
        private final boolean bars;

        private Chart(String title, String x, String y, boolean bars) {
            this.title = title;
            this.x = x;
            this.y = y;
            this.bars = bars;
        }

        /** @param value a point of series {@code series} at category {@code category}; NaN or null is left out */
        void point(String series, String category, Number value) {
            if (value != null && !Double.isNaN(value.doubleValue())) {
                data.addValue(value, series, category);
            }
        }

        private void write(Path file) throws IOException {
            JFreeChart c = bars
                    ? ChartFactory.createBarChart(title, x, y, data, PlotOrientation.VERTICAL, true, false, false)
                    : ChartFactory.createLineChart(title, x, y, data, PlotOrientation.VERTICAL, true, false, false);
            if (!bars) {
                CategoryPlot plot = c.getCategoryPlot();
                org.jfree.chart.renderer.category.LineAndShapeRenderer r =
                        (org.jfree.chart.renderer.category.LineAndShapeRenderer) plot.getRenderer();
                r.setDefaultShapesVisible(true); // one category still shows its points
                for (int i = 0; i < data.getRowCount(); i++) {
                    r.setSeriesStroke(i, new BasicStroke(2.5f));
                }
            }
            ChartUtils.saveChartAsPNG(file.toFile(), c, 900, 540);
        }
    }

    /**
     * @param scenario the scenario's name (file names)
     * @param title what the table shows
     * @param columns the columns shown in the Markdown table (the JSON keeps every value)
     */
    Report(String scenario, String title, List<String> columns) {
        this.scenario = scenario;
        this.title = title;
        List<String> all = new ArrayList<>(columns);
        all.addAll(List.of("date", "commit", "cores", "load"));
        this.columns = all;
    }

    /** @param values a measured row; the machine's columns are added to it */
    void add(Map<String, Object> values) {
        Machine m = Machine.now();
        Map<String, Object> row = new LinkedHashMap<>(values);
        row.putIfAbsent("date", m.date());
        row.putIfAbsent("commit", m.commit());
        row.putIfAbsent("cores", m.cores());
        row.putIfAbsent("load", m.load());
        row.putIfAbsent("cpu", m.cpu());
        row.putIfAbsent("jvm", m.jvm());
        rows.add(row);
        System.err.println("  " + row);
    }

    /**
     * @param suffix file name suffix ("" for the scenario's main chart)
     * @return a new chart of this report
     */
    Chart chart(String suffix, String title, String x, String y, boolean bars) {
        Chart c = new Chart(title, x, y, bars);
        charts.put(suffix, c);
        return c;
    }

    /** Prints the table and writes the three files. */
    void write(Path dir, PrintStream out) throws IOException {
        Files.createDirectories(dir);
        String md = markdown();
        out.println(md);
        Files.writeString(dir.resolve(scenario + ".md"), md, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(scenario + ".json"), new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
                .create().toJson(Map.of("scenario", scenario, "title", title, "machine", Machine.now().describe(), "rows", rows)),
                StandardCharsets.UTF_8);
        for (Map.Entry<String, Chart> c : charts.entrySet()) {
            c.getValue().write(dir.resolve(scenario + c.getKey() + ".png"));
        }
        System.err.println("wrote " + dir.resolve(scenario + ".md") + ", .json and " + charts.size() + " chart(s)");
    }

    String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("### ").append(title).append("\n\n");
        sb.append("Machine: ").append(Machine.now().describe()).append("\n\n");
        sb.append('|');
        columns.forEach(c -> sb.append(' ').append(c).append(" |"));
        sb.append("\n|");
        columns.forEach(c -> sb.append("---|"));
        sb.append('\n');
        for (Map<String, Object> r : rows) {
            sb.append('|');
            for (String c : columns) {
                sb.append(' ').append(format(r.get(c))).append(" |");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    static String format(Object v) {
        if (v == null) {
            return "-";
        }
        if (v instanceof Double d) {
            if (d.isNaN()) {
                return "-";
            }
            if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                return String.format("%,d", d.longValue());
            }
            return String.format(Math.abs(d) >= 100 ? "%,.0f" : "%,.2f", d);
        }
        if (v instanceof Float f) {
            return format(f.doubleValue());
        }
        if (v instanceof Long || v instanceof Integer) {
            return String.format("%,d", ((Number) v).longValue());
        }
        return v.toString().replace("|", "/");
    }
}
