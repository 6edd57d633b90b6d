package io.peat.transport.kwik.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peat.spi.PeerAddress;
import io.peat.spi.SyncTransport;
import io.peat.spi.TransportConfig;
import io.peat.transport.kwik.KwikTransportProvider;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Closing an endpoint is bounded even when Kwik's server holds a connection candidate that never became a
 * connection (KwikServerClose): Kwik's own close waits up to 30 s for such a candidate.
 */
@Timeout(60)
class KwikServerCloseTest {

    @Test
    void boundedCloseIsReachable() {
        assertTrue(KwikServerClose.AVAILABLE, "KwikServerClose could not reach tech.kwik.core.server.impl.ServerConnectorImpl"
                + ".close(Duration): endpoint close may hang up to 30 s");
    }

    @Test
    void anUndecryptableInitialDoesNotHoldTheEndpointCloseFor30Seconds() throws Exception {
        KwikTransportProvider provider = new KwikTransportProvider();
        SyncTransport server = provider.create(TransportConfig.builder().build(), TestListeners.ignoring());
        PeerAddress bound = server.listen(PeerAddress.of("127.0.0.1:0")).toCompletableFuture().get(10, TimeUnit.SECONDS);
        int port = Integer.parseInt(bound.value().substring(bound.value().lastIndexOf(':') + 1));

        // A QUIC v1 Initial whose payload cannot be decrypted: Kwik registers a candidate for its DCID and keeps it 30 s.
        try (DatagramSocket udp = new DatagramSocket()) {
            byte[] forged = forgedInitial();
            udp.send(new DatagramPacket(forged, forged.length, new InetSocketAddress("127.0.0.1", port)));
        }
        // Kwik's receive loop handles datagrams in order: once a real connection completes, the forged one was seen.
        try (SyncTransport client = provider.create(TransportConfig.builder().build(), TestListeners.ignoring())) {
            client.connect(bound, server.localPeerId()).toCompletableFuture().get(10, TimeUnit.SECONDS);
        }

        long start = System.nanoTime();
        try {
            server.closeAsync().toCompletableFuture().get(8, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("closing the endpoint took over 8 s: Kwik's server close waited for the stray candidate", e);
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(ms < 8_000, "close took " + ms + " ms");
    }

    /** Long header, type Initial, version 1, 8-byte connection ids, no token, 1,200 bytes in all, random payload. */
    private static byte[] forgedInitial() {
        Random r = new Random(7);
        ByteBuffer b = ByteBuffer.allocate(1200);
        b.put((byte) 0xC3).putInt(1);
        byte[] dcid = new byte[8];
        byte[] scid = new byte[8];
        r.nextBytes(dcid);
        r.nextBytes(scid);
        b.put((byte) 8).put(dcid).put((byte) 8).put(scid);
        b.put((byte) 0); // token length
        int length = b.remaining() - 2;
        b.putShort((short) (0x4000 | length));
        byte[] payload = new byte[b.remaining()];
        r.nextBytes(payload);
        b.put(payload);
        return b.array();
    }
}
