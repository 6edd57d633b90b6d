package io.peat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {

    @Test
    void writesTheTableJsonAndChartsWithTheMachineOnEveryRow(@TempDir Path dir) throws Exception {
        System.setProperty("java.awt.headless", "true");
        Report r = new Report("demo", "A demo", List.of("transport", "p50 ms", "error"));
        Report.Chart c = r.chart("", "t", "x", "y", false);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("transport", "inmem");
        row.put("p50 ms", 309.4);
        row.put("hidden", 1);
        r.add(row);
        c.point("inmem", "25", 309.4);
        c.point("inmem", "50", Double.NaN);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        r.write(dir, new PrintStream(out, true, StandardCharsets.UTF_8));
        String md = out.toString(StandardCharsets.UTF_8);
        String[] lines = md.split("\n");
        String header = List.of(lines).stream().filter(l -> l.startsWith("| transport")).findFirst().orElseThrow();
        assertEquals("| transport | p50 ms | error | date | commit | cores | load |", header);
        String data = List.of(lines).stream().filter(l -> l.startsWith("| inmem")).findFirst().orElseThrow();
        assertTrue(data.startsWith("| inmem | 309 | - | "), data);
        assertTrue(data.contains("| " + Runtime.getRuntime().availableProcessors() + " |"), "cores on the row: " + data);
        assertEquals(md.strip(), Files.readString(dir.resolve("demo.md")).strip());
        String json = Files.readString(dir.resolve("demo.json"));
        assertTrue(json.contains("\"hidden\": 1"), "the JSON keeps columns the table leaves out: " + json);
        byte[] png = Files.readAllBytes(dir.resolve("demo.png"));
        assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "not a PNG");
    }

    @Test
    void numbersAreFormattedForReading() {
        assertEquals("1,606", Report.format(1606.0));
        assertEquals("4.06", Report.format(4.056));
        assertEquals("12,345", Report.format(12345L));
        assertEquals("-", Report.format(Double.NaN));
        assertEquals("-", Report.format(null));
        assertEquals("a/b", Report.format("a|b"));
    }
}
