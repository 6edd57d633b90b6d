package io.peat.transport.kwik.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peat.quic.QuicIdentityConfig;
import io.peat.spi.PeerAddress;
import io.peat.spi.PeerConnection;
import io.peat.spi.PeerId;
import io.peat.spi.SyncTransport;
import io.peat.spi.TransportConfig;
import io.peat.spi.TransportException;
import io.peat.transport.kwik.KwikTransportProvider;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Closing an endpoint aborts its dials in progress. Kwik's close of a connecting connection does not wake the thread
 * blocked in {@code connect()}, which then waited out the handshake timeout, and the endpoint's close waited for it
 * until its executor's 3 s grace ran out (every reconnect attempt to a vanished peer made the next close 3 s slow).
 */
@Timeout(60)
class KwikCloseAbortsDialsTest {

    @Test
    void closeAbortsADialThatIsStillHandshaking() throws Exception {
        try (DatagramSocket blackHole = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            // Swallows the Initial packets, so the dial stays in Kwik's connect() for the whole handshake timeout.
            CompletableFuture<Integer> swallowed = CompletableFuture.supplyAsync(() -> {
                try {
                    DatagramPacket p = new DatagramPacket(new byte[1500], 1500);
                    blackHole.receive(p);
                    return p.getLength();
                } catch (java.io.IOException e) {
                    return -1;
                }
            });
            SyncTransport t = new KwikTransportProvider().create(TransportConfig.builder()
                    .property(QuicIdentityConfig.HANDSHAKE_TIMEOUT, "PT30S").build(), TestListeners.ignoring());
            CompletableFuture<PeerConnection> dial = t.connect(PeerAddress.of("127.0.0.1:" + blackHole.getLocalPort()),
                    PeerId.of("p256-00000000000000000000000000000000")).toCompletableFuture();
            assertTrue(swallowed.get(10, TimeUnit.SECONDS) > 0, "the dial sent no Initial packet");
            assertFalse(dial.isDone(), "the dial ended before the close: " + dial);

            long start = System.nanoTime();
            t.closeAsync().toCompletableFuture().get(10, TimeUnit.SECONDS);
            long closeMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            ExecutionException failed = assertThrows(ExecutionException.class, () -> dial.get(10, TimeUnit.SECONDS));
            assertInstanceOf(TransportException.class, failed.getCause());
            assertTrue(failed.getCause().getMessage().contains("closed while connecting"), failed.getCause().getMessage());
            // Without the abort the close waits for the executor's 3 s grace, then interrupts the dial.
            assertTrue(closeMs < 2_500, "closing with a dial in progress took " + closeMs + " ms");
        }
    }
}
