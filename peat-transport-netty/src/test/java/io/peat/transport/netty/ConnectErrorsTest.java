package io.peat.transport.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peat.spi.ByteStream;
import io.peat.spi.ConfigException;
import io.peat.spi.PeerAddress;
import io.peat.spi.PeerConnection;
import io.peat.spi.PeerId;
import io.peat.spi.PeerIdentityException;
import io.peat.spi.SyncTransport;
import io.peat.spi.TransportConfig;
import io.peat.spi.TransportException;
import io.peat.spi.TransportListener;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Dial errors name the address and the cause; keep-alive holds an idle connection open. */
class ConnectErrorsTest {
    private final List<SyncTransport> made = new ArrayList<>();

    private final class Recorder implements TransportListener {
        final BlockingQueue<PeerConnection> connections = new LinkedBlockingQueue<>();

        @Override
        public void onConnection(PeerConnection connection) {
            connections.add(connection);
        }

        @Override
        public void onStream(ByteStream stream) {
        }
    }

    private SyncTransport endpoint(TransportListener l, String... props) {
        TransportConfig.Builder b = TransportConfig.builder();
        for (int i = 0; i < props.length; i += 2) {
            b.property(props[i], props[i + 1]);
        }
        SyncTransport t = new NettyTransportProvider().create(b.build(), l);
        made.add(t);
        return t;
    }

    @AfterEach
    void closeAll() {
        made.forEach(SyncTransport::close);
    }

    private static <T> Throwable failure(CompletionStage<T> stage) throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class, () -> stage.toCompletableFuture().get(30, TimeUnit.SECONDS));
        return e.getCause();
    }

    @Test
    void wrongPinnedIdentityFailsNamingTheAddressAndNoConnectionIsReported() throws Exception {
        Recorder listener = new Recorder();
        SyncTransport a = endpoint(listener);
        PeerAddress at = a.listen(PeerAddress.of("127.0.0.1:0")).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertNotEquals(0, Integer.parseInt(at.value().substring(at.value().lastIndexOf(':') + 1)), "listen returns the real port");
        SyncTransport b = endpoint(new Recorder());
        PeerId wrong = PeerId.of("p256-00000000000000000000000000000000");
        Throwable e = failure(b.connect(at, wrong));
        assertInstanceOf(PeerIdentityException.class, e);
        assertTrue(e.getMessage().contains(at.value()) && e.getMessage().contains(wrong.value())
                && e.getMessage().contains(a.localPeerId().value()), e.getMessage());
        assertEquals(null, listener.connections.poll(500, TimeUnit.MILLISECONDS), "no connection reported for a refused dial");

        PeerConnection good = b.connect(at, a.localPeerId()).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(a.localPeerId(), good.remotePeerId());
        PeerConnection in = listener.connections.poll(10, TimeUnit.SECONDS);
        assertEquals(b.localPeerId(), in.remotePeerId());
    }

    @Test
    void unreachableAddressFailsNamingTheAddress() throws Exception {
        int port;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        PeerAddress nobody = PeerAddress.of("127.0.0.1:" + port);
        SyncTransport b = endpoint(new Recorder(), "quic.handshakeTimeout", "800ms");
        long start = System.nanoTime();
        Throwable e = failure(b.connect(nobody, PeerId.of("p256-11111111111111111111111111111111")));
        assertInstanceOf(TransportException.class, e);
        assertTrue(e.getMessage().contains("could not reach " + nobody.value()), e.getMessage());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(8), "the short handshake timeout was not used");
    }

    @Test
    void malformedAddressIsAConfigException() throws Exception {
        SyncTransport b = endpoint(new Recorder());
        Throwable e = failure(b.connect(PeerAddress.of("no-port-here"), PeerId.of("p256-11111111111111111111111111111111")));
        assertInstanceOf(ConfigException.class, e);
        assertTrue(e.getMessage().contains("no-port-here"), e.getMessage());
    }

    @Test
    void keepAliveHoldsAnIdleConnectionOpenPastTheIdleTimeout() throws Exception {
        Recorder listener = new Recorder();
        SyncTransport a = endpoint(listener, "quic.idleTimeout", "600ms", "quic.keepAlive", "150ms");
        PeerAddress at = a.listen(PeerAddress.of("127.0.0.1:0")).toCompletableFuture().get(10, TimeUnit.SECONDS);
        SyncTransport b = endpoint(new Recorder(), "quic.idleTimeout", "600ms", "quic.keepAlive", "150ms");
        PeerConnection c = b.connect(at, a.localPeerId()).toCompletableFuture().get(10, TimeUnit.SECONDS);
        // Over three idle timeouts, the connection must not close: the keep-alive holds it open.
        assertThrows(java.util.concurrent.TimeoutException.class, () -> c.closeFuture().toCompletableFuture().get(2, TimeUnit.SECONDS),
                "the idle connection closed despite the keep-alive");
        assertTrue(c.isOpen());
        ByteStream s = c.openStream().toCompletableFuture().get(10, TimeUnit.SECONDS);
        s.write(ByteBuffer.wrap(new byte[] {1, 2, 3})).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void withKeepAliveSlowerThanTheIdleTimeoutAnIdleConnectionTimesOut() throws Exception {
        SyncTransport a = endpoint(new Recorder(), "quic.idleTimeout", "500ms", "quic.keepAlive", "60000ms");
        PeerAddress at = a.listen(PeerAddress.of("127.0.0.1:0")).toCompletableFuture().get(10, TimeUnit.SECONDS);
        SyncTransport b = endpoint(new Recorder(), "quic.idleTimeout", "500ms", "quic.keepAlive", "60000ms");
        PeerConnection c = b.connect(at, a.localPeerId()).toCompletableFuture().get(10, TimeUnit.SECONDS);
        var reason = c.closeFuture().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertTrue(reason.reason().contains("idle"), reason.toString());
    }
}
