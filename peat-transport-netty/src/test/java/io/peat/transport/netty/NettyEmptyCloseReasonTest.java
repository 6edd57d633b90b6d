package io.peat.transport.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import io.peat.spi.ByteStream;
import io.peat.spi.CloseReason;
import io.peat.spi.PeerAddress;
import io.peat.spi.PeerConnection;
import io.peat.spi.SyncTransport;
import io.peat.spi.TransportConfig;
import io.peat.spi.TransportListener;
import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A close with an empty reason reaches the peer with its code (it came through as a lost connection
 * before {@code NettyEmptyCloseReason}), and the upstream bug that class works around is still there.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NettyEmptyCloseReasonTest {
    private final List<SyncTransport> made = new ArrayList<>();

    @AfterEach
    void closeAll() {
        made.forEach(SyncTransport::close);
    }

    @Test
    void aCloseWithAnEmptyReasonReachesThePeerWithItsCode() throws Exception {
        BlockingQueue<PeerConnection> accepted = new LinkedBlockingQueue<>();
        SyncTransport a = endpoint(accepted);
        PeerAddress at = a.listen(PeerAddress.of("127.0.0.1:0")).toCompletableFuture().get(30, TimeUnit.SECONDS);
        SyncTransport b = endpoint(new LinkedBlockingQueue<>());
        for (long code : new long[] {7, 0}) {
            PeerConnection atB = b.connect(at, a.localPeerId()).toCompletableFuture().get(30, TimeUnit.SECONDS);
            PeerConnection atA = accepted.poll(30, TimeUnit.SECONDS);
            atB.close(code, "");
            CloseReason seen = atA.closeFuture().toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertEquals(new CloseReason(code, "", true), seen, "b closed with code " + code + " and no reason");
        }
    }

    @Test
    void upstreamStillThrowsForAnEventWithoutReason() throws Exception {
        // What the native side builds for a CONNECTION_CLOSE with an empty reason phrase (to_byte_array: NULL).
        Constructor<QuicConnectionCloseEvent> make = QuicConnectionCloseEvent.class.getDeclaredConstructor(boolean.class, int.class,
                byte[].class);
        make.setAccessible(true);
        QuicConnectionCloseEvent event = make.newInstance(true, 7, null);
        assertThrows(NullPointerException.class, event::reason,
                "netty's QuicConnectionCloseEvent.reason() no longer throws for a close without reason: NettyEmptyCloseReason can go");
        assertTrue(event.isApplicationClose());
    }

    private SyncTransport endpoint(BlockingQueue<PeerConnection> accepted) {
        SyncTransport t = new NettyTransportProvider().create(TransportConfig.builder().build(), new TransportListener() {
            @Override
            public void onConnection(PeerConnection connection) {
                accepted.add(connection);
            }

            @Override
            public void onStream(ByteStream stream) {
            }
        });
        made.add(t);
        return t;
    }
}
