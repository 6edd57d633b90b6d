package io.peat.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peat.spi.ConfigException;
import io.peat.spi.PeerAddress;
import io.peat.spi.PeerId;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class UdpRelayFaultsTest {

    @Test
    void dialAddressPutsOneRelayInFrontOfEachPeer() {
        try (UdpRelayFaults relays = new UdpRelayFaults()) {
            PeerAddress bound = PeerAddress.of("127.0.0.1:40000");
            PeerAddress first = relays.dialAddress(PeerId.of("b"), bound);
            assertEquals(first, relays.dialAddress(PeerId.of("b"), bound), "the same peer gets the same relay");
            assertNotEquals(first, relays.dialAddress(PeerId.of("c"), PeerAddress.of("127.0.0.1:40001")));
            assertTrue(first.value().startsWith("127.0.0.1:"), first.value());
        }
    }

    @Test
    void malformedAddressIsATypedErrorNamingIt() {
        try (UdpRelayFaults relays = new UdpRelayFaults()) {
            ConfigException e = assertThrows(ConfigException.class, () -> relays.dialAddress(PeerId.of("b"), PeerAddress.of("node-b")));
            assertTrue(e.getMessage().contains("node-b"), e.getMessage());
        }
    }

    @Test
    void killAfterBytesCountsTowardTheReceiverBehindItsRelay() throws Exception {
        try (DatagramSocket sink = new DatagramSocket(0, InetAddress.getLoopbackAddress());
                DatagramSocket sender = new DatagramSocket(0, InetAddress.getLoopbackAddress());
                UdpRelayFaults relays = new UdpRelayFaults()) {
            PeerId receiver = PeerId.of("receiver");
            PeerAddress via = relays.dialAddress(receiver, PeerAddress.of("127.0.0.1:" + sink.getLocalPort()));
            int port = RelaySockets.parseHostPort(via).getPort();
            relays.killConnectionsAfterBytes(PeerId.of("sender"), receiver, 4);
            sink.setSoTimeout(300);
            byte[] three = {0x40, 1, 2};
            sender.send(new DatagramPacket(three, 3, InetAddress.getLoopbackAddress(), port));
            DatagramPacket got = new DatagramPacket(new byte[16], 16);
            sink.setSoTimeout(5_000);
            sink.receive(got);
            assertEquals(3, got.getLength());
            sender.send(new DatagramPacket(three, 3, InetAddress.getLoopbackAddress(), port));
            sink.setSoTimeout(300);
            assertThrows(SocketTimeoutException.class, () -> sink.receive(new DatagramPacket(new byte[16], 16)),
                    "the datagram crossing the byte budget must be dropped");
        }
    }
}
