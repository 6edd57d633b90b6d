package io.peat.sync.internal.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;

import io.peat.spi.ByteStream;
import io.peat.spi.CloseReason;
import io.peat.spi.PeerAddress;
import io.peat.spi.PeerConnection;
import io.peat.spi.PeerId;
import io.peat.spi.SyncTransport;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Issue 10, fault 6: connection churn never makes {@link PeerConnections} throw into a transport. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PeerConnectionsTest {
    private static final PeerId PEER = PeerId.of("peer-c");

    /** A connection that is open until closed. */
    static final class FakeConnection implements PeerConnection {
        private final CompletableFuture<CloseReason> closed = new CompletableFuture<>();
        private volatile boolean open = true;

        @Override
        public PeerId remotePeerId() {
            return PEER;
        }

        @Override
        public PeerAddress remoteAddress() {
            return PeerAddress.of("peer-c");
        }

        @Override
        public boolean isInitiator() {
            return false;
        }

        @Override
        public CompletionStage<ByteStream> openStream() {
            return CompletableFuture.failedFuture(new IllegalStateException("not in this test"));
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close(long code, String reason) {
            open = false;
            closed.complete(new CloseReason(code, reason, false));
        }

        @Override
        public CompletionStage<CloseReason> closeFuture() {
            return closed;
        }
    }

    @Test
    void currentNeverThrowsWhileConnectionsComeAndGo() throws Exception {
        PeerConnections connections = new PeerConnections(mock(SyncTransport.class), c -> { });
        AtomicBoolean stop = new AtomicBoolean();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        Thread churn = new Thread(() -> {
            try {
                FakeConnection[] ring = new FakeConnection[4];
                for (int i = 0; !stop.get(); i++) {
                    FakeConnection c = new FakeConnection();
                    connections.add(c);
                    FakeConnection old = ring[i % ring.length];
                    if (old != null) {
                        old.close(0, "churn");
                    }
                    ring[i % ring.length] = c;
                }
            } catch (Throwable t) {
                failures.add(t);
            }
        }, "churn");
        churn.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        long reads = 0;
        try {
            while (System.nanoTime() < deadline) {
                connections.current(PEER);
                reads++;
            }
        } catch (Throwable t) {
            failures.add(t);
        } finally {
            stop.set(true);
            churn.join(10_000);
        }
        assertEquals(List.of(), failures, "after " + reads + " reads");
        assertTrue(reads > 1000, "the reader ran: " + reads);
    }

    @Test
    void aFailureWhileHandlingANewConnectionDoesNotReachTheTransport() {
        PeerConnections connections = new PeerConnections(mock(SyncTransport.class), c -> {
            throw new IllegalStateException("a bug of ours");
        });
        FakeConnection c = new FakeConnection();

        connections.add(c); // must not throw: the transport would close the healthy connection

        assertTrue(c.isOpen());
        assertEquals(Optional.of(c), connections.current(PEER));
    }
}
