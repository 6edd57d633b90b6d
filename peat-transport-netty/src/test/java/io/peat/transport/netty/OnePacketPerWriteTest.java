package io.peat.transport.netty;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peat.spi.ByteStream;
import io.peat.spi.PeerAddress;
import io.peat.spi.PeerConnection;
import io.peat.spi.SyncTransport;
import io.peat.spi.TransportConfig;
import io.peat.spi.TransportListener;
import io.peat.tck.TckWaits;
import io.peat.tck.UdpFaultRelay;
import io.peat.tck.UdpFaultRelay.Direction;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Pin: a small write on a stream whose peer has not finished leaves as one datagram, not two. The
 * quiche#2525 workaround used to hold back the last byte of every write for 2 ms, so each sync frame
 * cost a second packet (4.0 datagrams per frame against Kwik's 1.5 on the shaped benchmark). Counted
 * at a UDP relay between the endpoints: a count, not a timing.
 */
@Timeout(60)
class OnePacketPerWriteTest {
    private static final int WRITES = 200;
    private static final int SIZE = 100;
    private SyncTransport a;
    private SyncTransport b;
    private UdpFaultRelay relay;

    @AfterEach
    void close() {
        if (b != null) {
            b.close();
        }
        if (a != null) {
            a.close();
        }
        if (relay != null) {
            relay.close();
        }
    }

    @Test
    void eachSmallWriteLeavesAsOneDatagram() throws Exception {
        CompletableFuture<ByteStream> accepted = new CompletableFuture<>();
        AtomicLong received = new AtomicLong();
        a = new NettyTransportProvider().create(TransportConfig.builder().build(), new TransportListener() {
            @Override
            public void onConnection(PeerConnection connection) {
            }

            @Override
            public void onStream(ByteStream stream) {
                accepted.complete(stream);
                readOn(stream, received);
            }
        });
        b = new NettyTransportProvider().create(TransportConfig.builder().build(), new TransportListener() {
            @Override
            public void onConnection(PeerConnection connection) {
            }

            @Override
            public void onStream(ByteStream stream) {
            }
        });
        PeerAddress at = TckWaits.get(a.listen(PeerAddress.of("127.0.0.1:0")));
        String hostPort = at.value();
        relay = UdpFaultRelay.start(new InetSocketAddress("127.0.0.1", Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1))));
        PeerConnection c = TckWaits.get(b.connect(PeerAddress.of("127.0.0.1:" + relay.address().getPort()), a.localPeerId()));
        ByteStream s = TckWaits.get(c.openStream());
        // The first write opens the stream and, with the identity exchange, settles the connection.
        writeAndAwaitRead(s, received, 1);
        accepted.get(30, TimeUnit.SECONDS);
        long before = relay.forwardedDatagrams(Direction.TO_TARGET);
        for (int i = 2; i <= WRITES + 1; i++) {
            writeAndAwaitRead(s, received, i); // one write at a time: nothing coalesces two writes
        }
        long datagrams = relay.forwardedDatagrams(Direction.TO_TARGET) - before;
        assertTrue(datagrams <= WRITES * 13 / 10, WRITES + " writes of " + SIZE + " bytes, each read before the next, left as "
                + datagrams + " datagrams (" + String.format("%.2f", (double) datagrams / WRITES) + " per write): a write costs more than"
                + " one packet; is the last byte of each write held back?");
        assertTrue(datagrams >= WRITES, "fewer datagrams (" + datagrams + ") than writes (" + WRITES + "): the relay did not count");
    }

    private static void writeAndAwaitRead(ByteStream s, AtomicLong received, int n) throws Exception {
        TckWaits.get(s.write(ByteBuffer.wrap(new byte[SIZE])));
        TckWaits.await("the reader having " + n * SIZE + " bytes", () -> received.get() >= (long) n * SIZE,
                () -> received.get() + " bytes read");
    }

    private static void readOn(ByteStream s, AtomicLong received) {
        s.read().whenComplete((Optional<ByteBuffer> chunk, Throwable e) -> {
            if (e == null && chunk.isPresent()) {
                received.addAndGet(chunk.get().remaining());
                readOn(s, received);
            }
        });
    }
}
