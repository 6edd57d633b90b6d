package io.peat.tck.selftest.runner;

import static io.peat.tck.selftest.runner.TckRunnerTest.assertSummary;
import static io.peat.tck.selftest.runner.TckRunnerTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peat.spi.TransportNetwork;
import io.peat.tck.runner.Network;
import io.peat.tck.runner.TckRunner;
import io.peat.tck.selftest.runner.TckRunnerTest.Run;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The runner against the self-test's plain-TCP transport ({@code io.peat.tck.selftest.tcp}), as its
 * author would run it: {@code --network tcp} puts the kit's TCP relay in front of each endpoint, so
 * every clause, the fault clauses included, runs; and {@code --network} is checked like any option.
 */
class TckRunnerTcpTest {

    @Test
    void theTcpTransportPassesEveryClauseBehindTheTcpRelay() {
        Run r = run("--transport", "tcp", "--address", "127.0.0.1:0", "--network", "tcp",
                "--capability", "CLOSE_REASON_DELIVERED", "--capability", "RESET_CODE_DELIVERED");

        assertEquals(TckRunner.OK, r.exitCode(), r.output());
        assertTrue(r.output().contains("faults: TcpRelayFaults"), r.output());
        List<String> lines = r.clauseLines();
        assertTrue(lines.size() >= 40, "fewer clauses than the kit has: " + r.output());
        for (String l : lines) {
            assertTrue(l.startsWith("PASS  "), "every clause must pass, the fault clauses included: " + l + "\n" + r.output());
        }
        for (String clause : List.of("S4.1", "S4.2", "S4.3", "T4.1", "T4.3", "T5.2")) {
            assertTrue(r.line(clause).startsWith("PASS  required  " + clause), r.line(clause));
        }
        assertSummary(r.output(), "tcp", lines.size(), 0, 0);
    }

    @Test
    void withoutNetworkTheTcpRelayComesFromTheProvidersDeclaredNetwork() {
        // The README's first command for a TCP transport, before --network existed, gave 7 passed and 35 failed:
        // every dial went to a UDP relay. A provider that declares TransportNetwork.TCP now gets the TCP relay.
        Run r = run("--transport", "tcp", "--address", "127.0.0.1:0", "--select", "T2.1", "--select", "S4.2");

        assertEquals(TckRunner.OK, r.exitCode(), r.output());
        assertTrue(r.output().contains("faults: TcpRelayFaults"), r.output());
        assertTrue(r.output().contains("network: tcp (the provider declares TCP)"), r.output());
        assertTrue(r.line("S4.2").startsWith("PASS  required  S4.2"), r.line("S4.2"));
    }

    @Test
    void theDefaultNetworkFollowsTheDeclarationForHostPortAddressesOnly() {
        assertEquals(Network.TCP, Network.defaultFor("127.0.0.1:0", TransportNetwork.TCP));
        assertEquals(Network.UDP, Network.defaultFor("127.0.0.1:0", TransportNetwork.UDP));
        assertEquals(Network.NONE, Network.defaultFor("127.0.0.1:0", TransportNetwork.IN_PROCESS));
        assertEquals(Network.UDP, Network.defaultFor("127.0.0.1:0", TransportNetwork.OTHER), "undeclared host:port: as before");
        assertEquals(Network.NONE, Network.defaultFor("node-%s", TransportNetwork.TCP), "no relay without host:port");
    }

    @Test
    void networkNoneRunsWithoutARelayAndTheFaultClausesSayWhatToPass() {
        Run r = run("--transport", "tcp", "--address", "127.0.0.1:0", "--network", "none", "--select", "T2.1", "--select", "S4");

        assertEquals(TckRunner.FAILED, r.exitCode(), r.output());
        assertTrue(r.line("T2.1").startsWith("PASS  required  T2.1"), r.line("T2.1"));
        for (String clause : List.of("S4.1", "S4.2", "S4.3")) {
            assertTrue(r.line(clause).startsWith("FAIL  required  " + clause + "  this required clause kills connections"), r.line(clause));
            assertTrue(r.line(clause).contains("--network tcp"), r.line(clause));
        }
        assertSummary(r.output(), "tcp", 1, 3, 0);
    }

    @Test
    void aBadNetworkIsAUsageErrorListingTheThreeChoices() {
        Run bad = run("--transport", "tcp", "--network", "quic");
        assertEquals(TckRunner.USAGE, bad.exitCode(), bad.output());
        assertTrue(bad.output().contains("--network 'quic' is not one of udp|tcp|none"), bad.output());

        Run notHostPort = run("--transport", "tcp", "--network", "tcp", "--address", "node-%s");
        assertEquals(TckRunner.USAGE, notHostPort.exitCode(), notHostPort.output());
        assertTrue(notHostPort.output().contains("host:port"), notHostPort.output());
    }
}
