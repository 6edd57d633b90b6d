package io.peat.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peat.spi.TransportConfig;
import io.peat.spi.TransportDiscovery;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

@Timeout(120)
class ConvergenceDemoTest {

    private static int run(StringWriter out, String... args) {
        CommandLine cli = new CommandLine(new ConvergenceDemo(new PrintWriter(out, true)));
        cli.setErr(new PrintWriter(out, true));
        return cli.execute(args);
    }

    @Test
    void threeNodesOverTheDiscoveredTransportConverge() {
        String discovered = TransportDiscovery.select(TransportConfig.builder().build()).name();
        StringWriter out = new StringWriter();
        int code = run(out, "--nodes", "3", "--docs", "5");
        assertEquals(0, code, out.toString());
        assertTrue(out.toString().contains("all 3 nodes converged: 15 documents each"), out.toString());
        assertTrue(out.toString().contains("over '" + discovered + "'"), "the demo runs over the discovered transport: " + out);
        assertTrue(out.toString().contains("persistent channel: true"), out.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"netty", "kwik"})
    void threeNodesOverQuicOnLoopbackConverge(String transport) {
        StringWriter out = new StringWriter();
        int code = run(out, "--transport", transport, "--nodes", "3", "--docs", "5");
        assertEquals(0, code, out.toString());
        assertTrue(out.toString().contains("all 3 nodes converged: 15 documents each"), out.toString());
        assertTrue(out.toString().contains("listening on 127.0.0.1:"), out.toString());
        assertTrue(out.toString().contains("over '" + transport + "'"), out.toString());
    }

    @Test
    void threeNodesOverInMemoryConverge() {
        StringWriter out = new StringWriter();
        int code = run(out, "--transport", "inmem", "--nodes", "3", "--docs", "5", "--address", "demo-test-%d");
        assertEquals(0, code, out.toString());
        assertTrue(out.toString().contains("all 3 nodes converged: 15 documents each"), out.toString());
        assertTrue(out.toString().contains("over 'inmem'"), out.toString());
    }

    @Test
    void unknownTransportNameFailsWithTheAvailableNames() {
        StringWriter out = new StringWriter();
        int code = run(out, "--transport", "carrier-pigeon", "--address", "demo-bad-%d");
        assertTrue(code != 0, "an unknown transport must fail the demo");
        assertTrue(out.toString().contains("'carrier-pigeon' is not available (available: inmem, kwik, netty)"), out.toString());
    }

    @Test
    void tooFewNodesIsABadArgument() {
        StringWriter out = new StringWriter();
        assertEquals(2, run(out, "--nodes", "1"));
        assertTrue(out.toString().contains("--nodes must be >= 2"), out.toString());
    }
}
