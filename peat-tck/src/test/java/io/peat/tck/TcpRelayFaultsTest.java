package io.peat.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peat.spi.ConfigException;
import io.peat.spi.PeerAddress;
import io.peat.spi.PeerId;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class TcpRelayFaultsTest {

    @Test
    void dialAddressPutsOneRelayInFrontOfEachPeer() {
        try (TcpRelayFaults relays = new TcpRelayFaults()) {
            PeerAddress first = relays.dialAddress(PeerId.of("b"), PeerAddress.of("127.0.0.1:40000"));
            assertEquals(first, relays.dialAddress(PeerId.of("b"), PeerAddress.of("127.0.0.1:40000")), "the same peer gets the same relay");
            assertNotEquals(first, relays.dialAddress(PeerId.of("c"), PeerAddress.of("127.0.0.1:40001")));
            assertTrue(first.value().startsWith("127.0.0.1:"), first.value());
        }
    }

    @Test
    void malformedAddressIsATypedErrorNamingIt() {
        try (TcpRelayFaults relays = new TcpRelayFaults()) {
            ConfigException e = assertThrows(ConfigException.class, () -> relays.dialAddress(PeerId.of("b"), PeerAddress.of("node-b")));
            assertTrue(e.getMessage().contains("node-b"), e.getMessage());
        }
    }

    @Test
    void killAfterBytesWithoutARelayNamesBothPeers() {
        try (TcpRelayFaults relays = new TcpRelayFaults()) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> relays.killConnectionsAfterBytes(PeerId.of("x"), PeerId.of("y"), 1));
            assertTrue(e.getMessage().contains("x") && e.getMessage().contains("y"), e.getMessage());
        }
    }

    @Test
    void killConnectionsResetsAConnectionThroughTheReceiversRelay() throws Exception {
        try (ServerSocket sink = new ServerSocket(0, 5, InetAddress.getLoopbackAddress()); TcpRelayFaults relays = new TcpRelayFaults()) {
            PeerId receiver = PeerId.of("receiver");
            PeerAddress via = relays.dialAddress(receiver, PeerAddress.of("127.0.0.1:" + sink.getLocalPort()));
            try (Socket c = new Socket(InetAddress.getLoopbackAddress(), RelaySockets.parseHostPort(via).getPort());
                    Socket atSink = acceptWithin(sink)) {
                c.getOutputStream().write(1);
                assertEquals(1, atSink.getInputStream().read());
                relays.killConnections(PeerId.of("sender"), receiver);
                assertThrows(IOException.class, () -> {
                    if (atSink.getInputStream().read() < 0) {
                        throw new AssertionError("the target saw a clean FIN, not a reset");
                    }
                });
            }
        }
    }

    private static Socket acceptWithin(ServerSocket server) throws IOException {
        server.setSoTimeout(5_000);
        Socket s = server.accept();
        s.setSoTimeout(5_000);
        return s;
    }
}
