package io.peat.tck.selftest.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peat.tck.runner.TckRunner;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner in this JVM: exit codes, one line per clause, the summary line. */
class TckRunnerTest {

    static final Pattern CLAUSE_LINE = Pattern.compile("^(PASS|FAIL|SKIP)  (required|optional)  ([TS]\\d+\\.\\d+)\\s+(.*)$");

    record Run(int exitCode, String output) {
        List<String> clauseLines() {
            return output.lines().filter(l -> CLAUSE_LINE.matcher(l).matches()).toList();
        }

        String line(String clause) {
            return clauseLines().stream().filter(l -> clause(l).equals(clause)).findFirst()
                    .orElseThrow(() -> new AssertionError("no report line for " + clause + " in:\n" + output));
        }
    }

    static String clause(String line) {
        Matcher m = CLAUSE_LINE.matcher(line);
        return m.matches() ? m.group(3) : "";
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        int code = TckRunner.run(args, new PrintWriter(out));
        return new Run(code, out.toString());
    }

    static void assertSummary(String output, String transport, int passed, int failed, int skipped) {
        String expected = "TCK " + transport + ": " + passed + " passed, " + failed + " failed, " + skipped + " skipped";
        assertTrue(output.lines().anyMatch(expected::equals), "summary line '" + expected + "' missing in:\n" + output);
    }

    @Test
    void inMemoryPassesTheSelectedClausesInClauseOrder() {
        Run r = run("--transport", "inmem", "--select", "T1", "--select", "S1", "--select", "S2");

        assertEquals(TckRunner.OK, r.exitCode(), r.output());
        List<String> lines = r.clauseLines();
        for (String clause : List.of("T1.1", "T1.2", "T1.3", "T1.4", "S1.1", "S1.2", "S2.1", "S2.2", "S2.3", "S2.4", "S2.5",
                "S2.6", "S2.7")) {
            assertTrue(r.line(clause).startsWith("PASS  required  " + clause + "  "), r.line(clause));
        }
        for (String l : lines) {
            String c = clause(l);
            assertTrue(c.startsWith("T1.") || c.startsWith("S1.") || c.startsWith("S2."), "not selected, yet reported: " + l);
            assertTrue(l.startsWith("PASS"), l);
        }
        // S1.1 runs 11 invocations, reported as one line.
        assertEquals(1, lines.stream().filter(l -> clause(l).equals("S1.1")).count(), r.output());
        // Clause order: T before S, then numerically.
        List<String> order = lines.stream().map(TckRunnerTest::clause).toList();
        assertEquals(order.stream().sorted(TckRunnerTest::compareClauses).toList(), order);
        assertSummary(r.output(), "inmem", lines.size(), 0, 0);
    }

    @Test
    void aTransportWithoutFaultInjectorFailsTheRequiredFaultClausesWithExitCode1(@TempDir Path dir) throws Exception {
        Path services = dir.resolve("META-INF/services/io.peat.spi.SyncTransportProvider");
        Files.createDirectories(services.getParent());
        Files.writeString(services, NoFaultsInMemoryProvider.class.getName() + "\n", StandardCharsets.UTF_8);
        Path reportFile = dir.resolve("out/report.txt");

        Run r = run("--transport", NoFaultsInMemoryProvider.NAME, "--classpath", dir.toString(),
                "--address", "%s-" + UUID.randomUUID(), "--property", "inmem.network=runner-" + UUID.randomUUID(),
                "--select", "S4", "--select", "S1.1", "--report", reportFile.toString());

        assertEquals(TckRunner.FAILED, r.exitCode(), r.output());
        assertTrue(r.line("S1.1").startsWith("PASS  required  S1.1"), r.line("S1.1"));
        for (String clause : List.of("S4.1", "S4.2", "S4.3")) {
            assertTrue(r.line(clause).startsWith("FAIL  required  " + clause + "  this required clause kills connections"),
                    r.line(clause));
        }
        assertEquals(List.of("S1.1", "S4.1", "S4.2", "S4.3"), r.clauseLines().stream().map(TckRunnerTest::clause).toList());
        assertSummary(r.output(), NoFaultsInMemoryProvider.NAME, 1, 3, 0);
        String saved = Files.readString(reportFile, StandardCharsets.UTF_8);
        assertTrue(saved.contains(r.line("S4.2")), saved);
        assertSummary(saved, NoFaultsInMemoryProvider.NAME, 1, 3, 0);
    }

    @Test
    void anOptionalClauseSkipsUnlessItsCapabilityIsDeclared() {
        // The self-test's TCP transport ships no fixture factory: the runner's options decide.
        Run undeclared = run("--transport", "tcp", "--address", "127.0.0.1:0", "--network", "tcp", "--select", "T2.5");
        assertEquals(TckRunner.OK, undeclared.exitCode(), undeclared.output());
        assertEquals(List.of("SKIP  optional  T2.5  optional clause: the transport does not declare CLOSE_REASON_DELIVERED"),
                undeclared.clauseLines());
        assertSummary(undeclared.output(), "tcp", 0, 0, 1);

        Run declared = run("--transport", "tcp", "--address", "127.0.0.1:0", "--network", "tcp", "--select", "T2.5",
                "--capability", "CLOSE_REASON_DELIVERED");
        assertEquals(TckRunner.OK, declared.exitCode(), declared.output());
        assertTrue(declared.line("T2.5").startsWith("PASS  optional  T2.5  "), declared.output());
        assertSummary(declared.output(), "tcp", 1, 0, 0);
    }

    @Test
    void aTransportThatShipsAFixtureFactoryIsRunWithItsOwnFixture() {
        Run r = run("--transport", "inmem", "--select", "T2.5", "--select", "S4");
        assertEquals(TckRunner.OK, r.exitCode(), r.output());
        assertTrue(r.output().contains("fixture: the in-memory transport (its own kit fixture) (from "
                + "io.peat.transport.inmem.tck.InMemoryFixtureFactory"), r.output());
        assertTrue(r.output().contains("capabilities: CLOSE_REASON_DELIVERED, RESET_CODE_DELIVERED"), r.output());
        assertTrue(r.line("T2.5").startsWith("PASS  optional  T2.5  "), "the fixture declares the capability: " + r.output());
        for (String clause : List.of("S4.1", "S4.2", "S4.3")) {
            assertTrue(r.line(clause).startsWith("PASS  required  " + clause), "its fixture brings its faults: " + r.line(clause));
        }
        assertSummary(r.output(), "inmem", 4, 0, 0);
    }

    @Test
    void anUnknownTransportIsAUsageErrorListingTheAvailableOnes() {
        Run r = run("--transport", "nope");

        assertEquals(TckRunner.USAGE, r.exitCode(), r.output());
        assertTrue(r.output().contains("no transport named 'nope'"), r.output());
        assertTrue(Pattern.compile("available: .*\\binmem\\b").matcher(r.output()).find(), r.output());
        assertFalse(r.output().contains("TCK nope:"), r.output());
    }

    @Test
    void usageErrorsExitWith2() {
        assertEquals(TckRunner.USAGE, run().exitCode(), "--transport is required");
        assertEquals(TckRunner.USAGE, run("--transport", "inmem", "--capability", "TELEPORTS").exitCode());
        assertEquals(TckRunner.USAGE, run("--transport", "inmem", "--await", "soon").exitCode());
        assertEquals(TckRunner.USAGE, run("--transport", "inmem", "--classpath", "no/such/dir").exitCode());
        Run unknownClause = run("--transport", "inmem", "--select", "S99");
        assertEquals(TckRunner.USAGE, unknownClause.exitCode(), unknownClause.output());
        assertTrue(unknownClause.output().contains("no clause matches --select S99"), unknownClause.output());
        assertTrue(unknownClause.output().contains("S1.1"), "the message lists the kit's clauses: " + unknownClause.output());
    }

    static int compareClauses(String a, String b) {
        int pa = a.charAt(0) == 'T' ? 0 : 1;
        int pb = b.charAt(0) == 'T' ? 0 : 1;
        if (pa != pb) {
            return Integer.compare(pa, pb);
        }
        String[] x = a.substring(1).split("\\.");
        String[] y = b.substring(1).split("\\.");
        int c = Integer.compare(Integer.parseInt(x[0]), Integer.parseInt(y[0]));
        return c != 0 ? c : Integer.compare(Integer.parseInt(x[1]), Integer.parseInt(y[1]));
    }
}
