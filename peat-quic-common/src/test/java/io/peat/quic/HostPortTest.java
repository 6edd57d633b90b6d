package io.peat.quic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peat.spi.ConfigException;
import io.peat.spi.PeerAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostPortTest {

    @Test
    void parsesIpv4AndBracketedIpv6() throws Exception {
        assertEquals(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 7000), HostPort.parse(PeerAddress.of("127.0.0.1:7000")));
        assertEquals(new InetSocketAddress(InetAddress.getByName("::1"), 0), HostPort.parse(PeerAddress.of(" [::1]:0 ")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "127.0.0.1|not host:port",
        "127.0.0.1:|not host:port",
        ":7000|not host:port",
        "127.0.0.1:seven|no numeric port",
        "127.0.0.1:70000|port 70000",
        "::1:7000|without brackets"})
    void refusesWhatIsNotHostPortNamingTheAddressAndTheFix(String value, String says) {
        ConfigException e = assertThrows(ConfigException.class, () -> HostPort.parse(PeerAddress.of(value)));
        assertTrue(e.getMessage().contains("'" + value + "'") && e.getMessage().contains(says), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:4433", "[::1]:4433"})
    void formatsWhatItParsesSoThatItParsesBackTheSame(String value) {
        InetSocketAddress parsed = HostPort.parse(PeerAddress.of(value));
        PeerAddress printed = HostPort.format(null, parsed);
        assertEquals(parsed, HostPort.parse(printed), "printed as " + printed);
    }

    @Test
    void keepsTheHostAsWritten() {
        assertEquals("[::1]", HostPort.hostPart(PeerAddress.of("[::1]:9")));
        assertEquals(PeerAddress.of("localhost:9"), HostPort.format("localhost", new InetSocketAddress(InetAddress.getLoopbackAddress(), 9)));
    }
}
