package io.peat.tck.selftest.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.peat.spi.ByteStream;
import io.peat.spi.CloseReason;
import io.peat.spi.PeerAddress;
import io.peat.spi.PeerConnection;
import io.peat.spi.PeerId;
import io.peat.spi.SyncTransport;
import io.peat.spi.TransportConfig;
import io.peat.spi.TransportListener;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The TCP transport's idle timeout: a silent peer is noticed; keep-alives keep a quiet but live connection open. */
@Timeout(30)
class TcpIdleTimeoutTest {
    private static final TransportListener IGNORE = new TransportListener() {
        @Override
        public void onConnection(PeerConnection connection) {
        }

        @Override
        public void onStream(ByteStream stream) {
        }
    };

    private static SyncTransport endpoint(String id) {
        return new TcpTransportProvider().create(TransportConfig.builder().localPeerId(PeerId.of(id))
                .property(TcpTransportProvider.IDLE_TIMEOUT, "300ms").build(), IGNORE);
    }

    @Test
    void aPeerThatGoesSilentIsLostAfterTheIdleTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()); SyncTransport a = endpoint("a")) {
            var dial = a.connect(PeerAddress.of("127.0.0.1:" + silent.getLocalPort()), PeerId.of("mute")).toCompletableFuture();
            silent.setSoTimeout(5_000);
            try (Socket s = silent.accept()) {
                // Says hello as the acceptor, then never another byte (nor closes).
                ByteArrayOutputStream hello = new ByteArrayOutputStream();
                Frame.hello("mute").writeTo(new DataOutputStream(hello));
                s.getOutputStream().write(hello.toByteArray());
                PeerConnection c = dial.get(5, TimeUnit.SECONDS);
                CloseReason why = c.closeFuture().toCompletableFuture().get(5, TimeUnit.SECONDS);
                assertEquals(CloseReason.LOST, why.code(), why.toString());
                assertFalse(why.byPeer(), why.toString());
                assertFalse(c.isOpen());
            }
        }
    }

    @Test
    void keepAlivesHoldAQuietConnectionOpenPastTheIdleTimeout() throws Exception {
        try (SyncTransport a = endpoint("a"); SyncTransport b = endpoint("b")) {
            PeerAddress at = a.listen(PeerAddress.of("127.0.0.1:0")).toCompletableFuture().get(5, TimeUnit.SECONDS);
            PeerConnection c = b.connect(at, PeerId.of("a")).toCompletableFuture().get(5, TimeUnit.SECONDS);
            // Nothing is written for five idle timeouts: only keep-alives cross.
            assertThrows(TimeoutException.class, () -> c.closeFuture().toCompletableFuture().get(1_500, TimeUnit.MILLISECONDS),
                    "a quiet connection between two live endpoints closed: keep-alives are not sent");
        }
    }
}
