package io.peat.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.peat.tck.UdpFaultRelay.Direction;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class TcpFaultRelayTest {
    /** What the target received on each connection, once that connection ended (by EOF or reset). */
    private final BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
    private ServerSocket target;
    private Thread targetThread;
    private TcpFaultRelay relay;

    @BeforeEach
    void start() throws Exception {
        target = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        targetThread = new Thread(this::serve, "echo");
        targetThread.setDaemon(true);
        targetThread.start();
        relay = TcpFaultRelay.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), target.getLocalPort()));
    }

    /** Accepts connections one after the other, echoes what each sends and records it when it ends. */
    private void serve() {
        while (!target.isClosed()) {
            try (Socket s = target.accept()) {
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                byte[] b = new byte[4096];
                try {
                    InputStream in = s.getInputStream();
                    for (int n; (n = in.read(b)) >= 0; ) {
                        got.write(b, 0, n);
                        s.getOutputStream().write(b, 0, n);
                    }
                } catch (IOException reset) {
                    // the connection was reset: record what arrived before
                }
                received.add(got.toByteArray());
            } catch (IOException e) {
                return;
            }
        }
    }

    @AfterEach
    void stop() throws Exception {
        relay.close();
        target.close();
        targetThread.join(5_000);
    }

    private Socket dial() throws IOException {
        Socket s = new Socket();
        s.connect(relay.address(), 5_000);
        s.setSoTimeout(5_000);
        return s;
    }

    private static byte[] readExactly(Socket s, int n) throws IOException {
        return s.getInputStream().readNBytes(n);
    }

    private byte[] nextReceived() throws InterruptedException {
        byte[] got = received.poll(10, TimeUnit.SECONDS);
        if (got == null) {
            throw new AssertionError("the target saw no connection end within 10 s");
        }
        return got;
    }

    @Test
    void forwardsBothWaysCountsBytesAndPassesAFinThrough() throws Exception {
        try (Socket c = dial()) {
            byte[] hello = {1, 2, 3, 4, 5};
            c.getOutputStream().write(hello);
            assertArrayEquals(hello, readExactly(c, 5));
            c.shutdownOutput();
            assertEquals(-1, c.getInputStream().read(), "the target's FIN after ours must come back through the relay");
        }
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, nextReceived());
        assertEquals(5, relay.forwardedBytes(Direction.TO_TARGET));
        assertEquals(5, relay.forwardedBytes(Direction.FROM_TARGET));
    }

    @Test
    void killResetsBothEndsAndALaterConnectionGetsThrough() throws Exception {
        try (Socket c = dial()) {
            c.getOutputStream().write(new byte[] {7});
            assertArrayEquals(new byte[] {7}, readExactly(c, 1));
            relay.killSessions();
            assertThrows(SocketException.class, () -> c.getInputStream().read(), "the client must see a reset, not wait");
        }
        assertArrayEquals(new byte[] {7}, nextReceived(), "the target's connection must end too");
        assertEquals(1, relay.killCount());
        try (Socket again = dial()) {
            again.getOutputStream().write(new byte[] {8, 9});
            assertArrayEquals(new byte[] {8, 9}, readExactly(again, 2), "a connection made after the kill must work");
        }
    }

    @Test
    void killAfterBytesDeliversExactlyTheBudgetThenResets() throws Exception {
        relay.killSessionsAfterBytes(Direction.TO_TARGET, 10);
        try (Socket c = dial()) {
            c.getOutputStream().write(new byte[] {0, 1, 2, 3, 4, 5});
            assertArrayEquals(new byte[] {0, 1, 2, 3, 4, 5}, readExactly(c, 6));
            c.getOutputStream().write(new byte[] {6, 7, 8, 9, 10, 11});
            assertArrayEquals(new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, nextReceived(),
                    "the target must get exactly 10 bytes, then lose the connection");
            // The target may echo some of the 4 bytes it got before the reset reaches the client.
            assertThrows(SocketException.class, () -> {
                while (c.getInputStream().read() >= 0) {
                    // drain the echo
                }
                throw new AssertionError("the client saw a clean end of stream, not a reset");
            }, "the client must lose the connection too");
        }
        assertEquals(1, relay.killCount());
        assertEquals(10, relay.forwardedBytes(Direction.TO_TARGET));
    }

    @Test
    void closeStopsEveryRelayThread() throws Exception {
        try (Socket c = dial()) {
            c.getOutputStream().write(new byte[] {1});
            assertArrayEquals(new byte[] {1}, readExactly(c, 1));
            String prefix = "peat-tck-tcp-relay-" + relay.address().getPort();
            relay.close();
            TckWaits.await("every relay thread to stop", () -> Thread.getAllStackTraces().keySet().stream()
                    .noneMatch(t -> t.getName().startsWith(prefix) && t.isAlive()));
        }
    }
}
