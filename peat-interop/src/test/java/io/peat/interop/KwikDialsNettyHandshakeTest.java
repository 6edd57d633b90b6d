package io.peat.interop;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peat.quic.QuicIdentityConfig;
import io.peat.spi.ByteStream;
import io.peat.spi.PeerAddress;
import io.peat.spi.PeerConnection;
import io.peat.spi.SyncTransport;
import io.peat.spi.TransportConfig;
import io.peat.spi.TransportListener;
import io.peat.transport.kwik.KwikTransportProvider;
import io.peat.transport.netty.NettyTransportProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 300 dials from a Kwik endpoint that also listens (runs a Kwik server) to a fresh Netty endpoint on loopback, each of
 * which must complete the QUIC handshake and the identity exchange. This was the interop fault of issue 5: without the
 * two Kwik workarounds, 5-8 of 300 dials failed here (2 cores, JDK 17, Surefire's {@code -ea}):
 * <ul>
 *   <li>"no QUIC answer": agent15's ServerHello race (KwikServerHelloGate; 1-2 of 300 with assertions off);</li>
 *   <li>"never received the CHALLENGE" or "probes not answered": an {@code assert} in Kwik's LossDetector failed on a
 *       0 ms loopback RTT and killed the connection's receiver thread (KwikAssertions).</li>
 * </ul>
 * With both: 0 of 300 in three runs. Deterministic pins of each cause are in peat-transport-kwik
 * (KwikServerHelloRaceTest, KwikAssertionsTest); this test checks the transport's wiring under real timing.
 * Tagged {@code slow} (about 20 s) and outside the default run: {@code ./mvnw -B -pl peat-interop test
 * -Dpeat.interop.excludedGroups=none -Dgroups=slow -Dtest=KwikDialsNettyHandshakeTest}.
 */
@Tag("slow")
@Timeout(1200)
class KwikDialsNettyHandshakeTest {

    private static final int DIALS = 300;

    private static final TransportListener NONE = new TransportListener() {
        @Override
        public void onConnection(PeerConnection connection) {
        }

        @Override
        public void onStream(ByteStream stream) {
        }
    };

    @Test
    void everyDialFromAListeningKwikEndpointToNettySucceeds() throws Exception {
        TransportConfig config = TransportConfig.builder().property(QuicIdentityConfig.HANDSHAKE_TIMEOUT, "3s").build();
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < DIALS; i++) {
            try (SyncTransport netty = new NettyTransportProvider().create(config, NONE);
                    SyncTransport kwik = new KwikTransportProvider().create(config, NONE)) {
                PeerAddress at = netty.listen(PeerAddress.of("127.0.0.1:0")).toCompletableFuture().get(10, TimeUnit.SECONDS);
                kwik.listen(PeerAddress.of("127.0.0.1:0")).toCompletableFuture().get(10, TimeUnit.SECONDS);
                try {
                    kwik.connect(at, netty.localPeerId()).toCompletableFuture().get(10, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    failures.add("dial " + i + ": " + e.getCause());
                }
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " of " + DIALS + " dials failed: " + failures);
    }
}
