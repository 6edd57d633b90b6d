package io.peat.transport.inmem;

import static io.peat.transport.inmem.TestNet.await;
import static io.peat.transport.inmem.TestNet.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peat.spi.ByteStream;
import io.peat.spi.CloseReason;
import io.peat.spi.ConfigException;
import io.peat.spi.PeerAddress;
import io.peat.spi.PeerConnection;
import io.peat.spi.PeerId;
import io.peat.spi.PeerIdentityException;
import io.peat.spi.StreamResetException;
import io.peat.spi.SyncTransport;
import io.peat.spi.TransportConfig;
import io.peat.spi.TransportException;
import io.peat.spi.TransportListener;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ConnectTest {

    @Test
    void connectsWithVerifiedIdsOnBothSides() throws Exception {
        try (TestNet net = new TestNet()) {
            TestNet.Pair p = net.pair(Map.of());
            assertEquals(p.b().id, p.ab().remotePeerId());
            assertEquals(p.a().id, p.ba().remotePeerId());
            assertTrue(p.ab().isInitiator());
            assertFalse(p.ba().isInitiator());
            assertTrue(p.ab().isOpen() && p.ba().isOpen());
            assertEquals(p.b().transport.localAddress().orElseThrow(), p.ab().remoteAddress());
            assertEquals("inmem", p.a().transport.name());
        }
    }

    @Test
    void listeningTwiceOnOneNameFails() {
        try (TestNet net = new TestNet()) {
            TestNet.Peer a = net.peer("a");
            TestNet.Peer b = net.peer("b");
            PeerAddress addr = PeerAddress.of("shared");
            assertEquals(addr, await(a.transport.listen(addr)));
            Throwable e = failure(b.transport.listen(addr));
            assertInstanceOf(TransportException.class, e);
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
            assertTrue(b.transport.localAddress().isEmpty());
            assertInstanceOf(IllegalStateException.class, failure(a.transport.listen(PeerAddress.of("other"))));
        }
    }

    @Test
    void connectToNothingNamesTheAddress() {
        try (TestNet net = new TestNet()) {
            TestNet.Peer a = net.peer("a");
            Throwable e = failure(a.transport.connect(PeerAddress.of("nobody-here"), PeerId.of("x")));
            assertInstanceOf(TransportException.class, e);
            assertTrue(e.getMessage().contains("no endpoint listening at nobody-here"), e.getMessage());
        }
    }

    @Test
    void wrongExpectedPeerFailsAndCreatesNoConnection() throws Exception {
        try (TestNet net = new TestNet()) {
            TestNet.Peer a = net.peer("a");
            TestNet.Peer b = net.peer("b");
            PeerAddress addr = b.listen();
            Throwable e = failure(a.transport.connect(addr, PeerId.of("impostor")));
            assertInstanceOf(PeerIdentityException.class, e);
            assertTrue(e.getMessage().contains(b.id.value()), e.getMessage());
            assertEquals(0, net.network.openConnections(a.id, b.id));
            // A later, correct dial is the first connection the acceptor ever sees.
            PeerConnection ok = a.connectTo(b);
            PeerConnection seen = b.nextConnection();
            assertEquals(a.id, seen.remotePeerId());
            assertNull(b.connections.poll());
            assertTrue(ok.isOpen());
        }
    }

    @Test
    void differentNetworksAreIsolated() {
        try (TestNet one = new TestNet(); TestNet two = new TestNet()) {
            TestNet.Peer a = one.peer("a");
            TestNet.Peer b = two.peer("b");
            PeerAddress addr = b.listen();
            assertInstanceOf(TransportException.class, failure(a.transport.connect(addr, b.id)));
        }
    }

    @Test
    void badConfigIsRejected() {
        TransportListener nop = new TransportListener() {
            @Override
            public void onConnection(PeerConnection c) {
            }

            @Override
            public void onStream(ByteStream s) {
            }
        };
        InMemoryTransportProvider p = new InMemoryTransportProvider();
        org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> p.create(TransportConfig.builder().property("inmem.streamWindowBytes", "0").build(), nop));
        org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> p.create(TransportConfig.builder().property("inmem.network", "  ").build(), nop));
        try (SyncTransport t = p.create(TransportConfig.builder().property("inmem.network", "cfg-" + UUID.randomUUID()).build(), nop)) {
            assertTrue(t.localPeerId().value().startsWith("inmem-"));
        }
    }

    @Test
    void throwingListenerIsIsolated() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        TransportListener throwing = new TransportListener() {
            @Override
            public void onConnection(PeerConnection c) {
                if (connections.incrementAndGet() == 1) {
                    throw new IllegalStateException("boom (on purpose)");
                }
            }

            @Override
            public void onStream(ByteStream s) {
                throw new IllegalStateException("boom (on purpose)");
            }
        };
        try (TestNet net = new TestNet()) {
            TestNet.Peer a = net.peer("a");
            TestNet.Peer b = net.peer("b", Map.of(), throwing);
            b.listen();
            PeerConnection first = a.connectTo(b);
            CloseReason r = await(first.closeFuture());
            assertEquals(InMemoryTransport.LISTENER_FAILED, r.code());
            assertTrue(r.byPeer());

            PeerConnection second = a.connectTo(b);
            b.nextConnection();
            PeerConnection secondAtB = b.nextConnection();
            assertTrue(secondAtB.isOpen());
            assertTrue(second.isOpen());

            ByteStream s = await(second.openStream());
            await(s.write(ByteBuffer.wrap(new byte[] {1})));
            Throwable e = failure(s.read());
            assertInstanceOf(StreamResetException.class, e);
            assertTrue(((StreamResetException) e).byPeer());
            assertTrue(second.isOpen(), "a throwing onStream must not close the connection");

            // The endpoint goes on: a third connection works.
            PeerConnection third = a.connectTo(b);
            assertTrue(third.isOpen());
            assertTrue(b.nextConnection().isOpen());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (connections.get() < 3 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(3, connections.get());
        }
    }

    @Test
    void closeStopsEveryThreadOfThatEndpoint() throws Exception {
        String peer;
        try (TestNet net = new TestNet()) {
            TestNet.Pair p = net.pair(Map.of());
            peer = p.a().id.value();
            ByteStream s = await(p.ab().openStream());
            await(s.write(ByteBuffer.wrap(new byte[] {1, 2, 3})));
            ByteStream in = p.b().nextStream();
            assertEquals(3, await(in.read()).orElseThrow().remaining());
            assertTrue(!threadsOf(peer).isEmpty(), "expected the endpoint to have started threads");
            await(p.a().transport.closeAsync());
            // The peer saw a close by the peer.
            assertTrue(await(p.ba().closeFuture()).byPeer());
            p.a().transport.close(); // idempotent
            assertFalse(net.network.boundPeers().contains(p.a().id));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!threadsOf(peer).isEmpty() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
                Thread.yield();
            }
            assertEquals(Set.of(), threadsOf(peer));
            assertInstanceOf(TransportException.class, failure(p.a().transport.connect(PeerAddress.of("x"), p.b().id)));
        }
    }

    private static Set<String> threadsOf(String peer) {
        String prefix = "peat-inmem-" + peer + "-";
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith(prefix)).collect(Collectors.toSet());
    }
}
