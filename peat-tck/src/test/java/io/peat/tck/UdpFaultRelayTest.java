package io.peat.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class UdpFaultRelayTest {
    private DatagramSocket echo;
    private Thread echoThread;
    private UdpFaultRelay relay;
    private DatagramSocket client;

    @BeforeEach
    void start() throws Exception {
        echo = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        echoThread = new Thread(() -> {
            byte[] b = new byte[2048];
            while (!echo.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(b, b.length);
                    echo.receive(p);
                    echo.send(new DatagramPacket(Arrays.copyOf(p.getData(), p.getLength()), p.getLength(), p.getSocketAddress()));
                } catch (Exception e) {
                    return;
                }
            }
        }, "echo");
        echoThread.setDaemon(true);
        echoThread.start();
        relay = UdpFaultRelay.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), echo.getLocalPort()));
        client = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        client.setSoTimeout(5_000);
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        relay.close();
        echo.close();
        echoThread.join(5_000);
    }

    private byte[] roundTrip(byte[] payload) throws Exception {
        client.send(new DatagramPacket(payload, payload.length, relay.address()));
        byte[] b = new byte[2048];
        DatagramPacket p = new DatagramPacket(b, b.length);
        client.receive(p);
        return Arrays.copyOf(p.getData(), p.getLength());
    }

    /** Sends and expects no answer within a short window (the relay dropped it). */
    private void assertDropped(byte[] payload) throws Exception {
        client.setSoTimeout(300);
        try {
            assertThrows(SocketTimeoutException.class, () -> roundTrip(payload), "the relay forwarded a datagram it should drop");
        } finally {
            client.setSoTimeout(5_000);
        }
    }

    @Test
    void forwardsBothWaysAndCountsBytes() throws Exception {
        byte[] hello = {0x40, 1, 2, 3, 4};
        assertArrayEquals(hello, roundTrip(hello));
        assertEquals(5, relay.forwardedBytes(UdpFaultRelay.Direction.TO_TARGET));
        assertEquals(1, relay.forwardedDatagrams(UdpFaultRelay.Direction.TO_TARGET));
        assertEquals(1, relay.forwardedDatagrams(UdpFaultRelay.Direction.FROM_TARGET));
        assertEquals(5, relay.forwardedBytes(UdpFaultRelay.Direction.FROM_TARGET));
    }

    @Test
    void killedSessionIsBlackHoledButAQuicInitialOpensAFreshOne() throws Exception {
        byte[] shortHeader = {0x40, 9, 9};
        assertArrayEquals(shortHeader, roundTrip(shortHeader));
        relay.killSessions();
        assertDropped(shortHeader);
        byte[] initial = {(byte) 0xC3, 0, 0, 0, 1};
        assertArrayEquals(initial, roundTrip(initial), "a QUIC Initial after the kill must get through on a fresh session");
        assertArrayEquals(shortHeader, roundTrip(shortHeader), "the fresh session carries later packets");
    }

    @Test
    void killAfterBytesLetsExactlyTheBudgetThrough() throws Exception {
        relay.killSessionsAfterBytes(UdpFaultRelay.Direction.TO_TARGET, 10);
        byte[] six = {0x40, 1, 2, 3, 4, 5};
        assertArrayEquals(six, roundTrip(six));
        assertDropped(six);
        assertEquals(1, relay.killCount());
        assertEquals(6, relay.forwardedBytes(UdpFaultRelay.Direction.TO_TARGET));
    }

    @Test
    void closeStopsTheRelayThread() throws Exception {
        String name = "peat-tck-relay-" + relay.address().getPort();
        relay.close();
        TckWaits.await("the relay thread to stop",
                () -> Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().equals(name) && t.isAlive()));
    }
}
