package io.peat.transport.kwik.internal;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peat.quic.NodeIdentity;
import io.peat.quic.QuicConstants;
import io.peat.spi.PeerAddress;
import io.peat.spi.SyncTransport;
import io.peat.spi.TransportConfig;
import io.peat.spi.TransportException;
import io.peat.transport.kwik.KwikTransportProvider;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tech.kwik.core.QuicConnection;
import tech.kwik.core.log.NullLogger;
import tech.kwik.core.server.ApplicationProtocolConnection;
import tech.kwik.core.server.ServerConnectionConfig;
import tech.kwik.core.server.ServerConnector;

/** Dialing a QUIC server that speaks another application protocol fails with an error that says so. */
@Timeout(60)
class KwikWrongAlpnTest {

    @Test
    void aServerWithoutOurAlpnIsReportedAsSuch() throws Exception {
        NodeIdentity id = NodeIdentity.generate();
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        ServerConnector other = ServerConnector.builder()
                .withSocket(socket)
                .withKeyStore(KwikTransport.keyStore(id), "node", KwikTransport.KEY_PASSWORD, "secp256r1")
                .withConfiguration(ServerConnectionConfig.builder().maxIdleTimeout(5_000).build())
                .withLogger(new NullLogger())
                .build();
        other.registerApplicationProtocol("h3", (String protocol, QuicConnection quic) -> new ApplicationProtocolConnection() {
        });
        other.start();
        try (SyncTransport kwik = new KwikTransportProvider().create(TransportConfig.builder().build(), TestListeners.ignoring())) {
            PeerAddress at = PeerAddress.of("127.0.0.1:" + socket.getLocalPort());
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> kwik.connect(at, id.peerId()).toCompletableFuture().get(20, TimeUnit.SECONDS));
            TransportException t = assertInstanceOf(TransportException.class, e.getCause());
            assertTrue(t.getMessage().contains("does not speak ALPN " + QuicConstants.ALPN), t.getMessage());
            assertTrue(t.getMessage().contains(at.value()), t.getMessage());
        } finally {
            KwikServerClose.close(other, java.time.Duration.ofSeconds(1));
        }
    }
}
