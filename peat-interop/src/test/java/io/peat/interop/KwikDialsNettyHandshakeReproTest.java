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
 * Reproduces the open interop fault of issue 5, outside the kit: a Kwik endpoint that also listens (runs a Kwik
 * server) dialing a fresh Netty endpoint directly on loopback. About 2 % of the dials get no QUIC answer within the
 * handshake timeout, or complete the handshake but never receive the identity CHALLENGE. Measured here (2 cores,
 * JDK 17): 6, 8 and 8 of 300 with the dialer listening (three runs); 1 of 300 with another Kwik endpoint listening in the JVM instead;
 * 0 of 300 with no Kwik server in the JVM; 0 of 300 Kwik to Kwik with the dialer listening.
 *
 * <p>It asserts that every dial succeeds, so it FAILS until the fault is fixed; tagged {@code slow} and outside the
 * default run: {@code ./mvnw -B -pl peat-interop test -Dpeat.interop.excludedGroups=none -Dgroups=slow
 * -Dtest=KwikDialsNettyHandshakeReproTest}.
 */
@Tag("slow")
@Timeout(1200)
class KwikDialsNettyHandshakeReproTest {

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
