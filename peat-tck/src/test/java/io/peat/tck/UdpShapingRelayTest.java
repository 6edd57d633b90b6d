package io.peat.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peat.tck.UdpFaultRelay.Direction;
import io.peat.tck.UdpShapingRelay.Shape;
import io.peat.tck.UdpShapingRelay.Stats;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The shaping relay: counts, drop-tail, and lower bounds on time that shaping makes certain (a
 * datagram can never arrive before the delay, nor a burst drain faster than the rate). No upper
 * bound on time is asserted: the machine may be slow.
 */
@Timeout(30)
class UdpShapingRelayTest {
    private DatagramSocket sink;
    private DatagramSocket client;
    private UdpShapingRelay relay;

    @BeforeEach
    void start() throws Exception {
        sink = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        sink.setSoTimeout(10_000);
        sink.setReceiveBufferSize(4 << 20);
        client = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void stop() {
        client.close();
        if (relay != null) {
            relay.close();
        }
        sink.close();
    }

    private InetSocketAddress sinkAddress() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), sink.getLocalPort());
    }

    private byte[] receive() throws Exception {
        byte[] b = new byte[4096];
        DatagramPacket p = new DatagramPacket(b, b.length);
        sink.receive(p);
        return Arrays.copyOf(p.getData(), p.getLength());
    }

    @Test
    void aDatagramArrivesWholeAndNoSoonerThanTheDelay() throws Exception {
        Shape shape = new Shape(0, 0, Duration.ofMillis(150), 64 * 1024);
        relay = UdpShapingRelay.start(sinkAddress(), shape, shape);
        byte[] hello = {1, 2, 3, 4, 5};
        long t0 = System.nanoTime();
        client.send(new DatagramPacket(hello, hello.length, relay.address()));
        assertArrayEquals(hello, receive());
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(tookMs >= 150, "arrived after " + tookMs + " ms, before the 150 ms delay");
        Stats s = relay.stats(Direction.TO_TARGET);
        assertEquals(1, s.offeredDatagrams());
        assertEquals(5, s.offeredBytes());
        assertEquals(1, s.forwardedDatagrams());
        assertEquals(1, s.datagramsBySize()[0], "5 bytes count in the smallest size class");
        assertEquals(0, relay.stats(Direction.FROM_TARGET).offeredDatagrams());
    }

    @Test
    void theBucketPacesABurstAtItsRate() throws Exception {
        // 20 x 1000 B at 40,000 B/s with a 1000 B bucket: the last leaves no sooner than 19/40 s.
        relay = UdpShapingRelay.start(sinkAddress(), new Shape(40_000, 1000, Duration.ZERO, 64 * 1024),
                new Shape(0, 0, Duration.ZERO, 0));
        byte[] d = new byte[1000];
        long t0 = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            d[0] = (byte) i;
            client.send(new DatagramPacket(d, d.length, relay.address()));
        }
        for (int i = 0; i < 20; i++) {
            assertEquals((byte) i, receive()[0], "datagram " + i + " in order");
        }
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(tookMs >= 475, "20 KB went through a 40 KB/s bucket in " + tookMs + " ms");
        Stats s = relay.stats(Direction.TO_TARGET);
        assertEquals(20, s.forwardedDatagrams());
        assertEquals(20_000, s.forwardedBytes());
        assertEquals(20, s.datagramsBySize()[3], "1000 B datagrams are in the 600-1199 class");
        assertTrue(s.peakQueuedBytes() >= 1000, "a burst of 20 KB must have queued: " + s.peakQueuedBytes());
    }

    @Test
    void aFullQueueDropsTheTail() throws Exception {
        // 1000 B/s with a 2 KB queue: of 50 datagrams sent at once only the bucket's one and the queue's two get on.
        relay = UdpShapingRelay.start(sinkAddress(), new Shape(1000, 1000, Duration.ZERO, 2000), new Shape(0, 0, Duration.ZERO, 0));
        byte[] d = new byte[1000];
        for (int i = 0; i < 50; i++) {
            d[0] = (byte) i;
            client.send(new DatagramPacket(d, d.length, relay.address()));
        }
        TckWaits.await("the relay seeing all 50 datagrams", () -> relay.stats(Direction.TO_TARGET).offeredDatagrams() == 50,
                () -> "it saw " + relay.stats(Direction.TO_TARGET).offeredDatagrams());
        Stats s = relay.stats(Direction.TO_TARGET);
        assertTrue(s.droppedDatagrams() >= 45, "dropped only " + s.droppedDatagrams() + " of 50 at a 2 KB queue: " + s);
        assertEquals(s.droppedDatagrams() * 1000, s.droppedBytes());
        assertTrue(s.peakQueuedBytes() <= 2000, "queued beyond the limit: " + s.peakQueuedBytes());
        assertEquals(0, receive()[0], "the first datagram goes through");
    }

    @Test
    void aRateWithoutABurstIsRefusedWithTheFix() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Shape(32_000, 0, Duration.ZERO, 1000));
        assertTrue(e.getMessage().contains("burstBytes"), e.getMessage());
    }
}
