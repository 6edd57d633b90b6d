package io.peat.transport.inmem;

import static io.peat.transport.inmem.TestNet.await;
import static io.peat.transport.inmem.TestNet.failure;
import static io.peat.transport.inmem.TestNet.pattern;
import static io.peat.transport.inmem.TestNet.readAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peat.spi.ByteStream;
import io.peat.spi.CloseReason;
import io.peat.spi.ConnectionClosedException;
import io.peat.spi.StreamResetException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class FaultInjectionTest {

    private static final CloseReason KILLED = new CloseReason(CloseReason.LOST, "killed by InMemoryNetwork", false);

    @Test
    void killConnectionsAfterBytesDeliversExactlyNThenKills() throws Exception {
        try (TestNet net = new TestNet()) {
            TestNet.Pair p = net.pair(Map.of());
            net.network.killConnectionsAfterBytes(p.a().id, p.b().id, 1234);
            ByteStream out = await(p.ab().openStream());
            byte[] data = pattern(5000, 4);
            for (int i = 0; i < 10; i++) {
                out.write(ByteBuffer.wrap(data, i * 500, 500));
            }
            ByteStream in = p.b().nextStream();
            TestNet.ReadUntilFailure r = TestNet.readUntilFailure(in);
            assertArrayEquals(Arrays.copyOf(data, 1234), r.bytes());
            assertInstanceOf(ConnectionClosedException.class, r.failure());
            assertEquals(KILLED, await(p.ab().closeFuture()));
            assertEquals(KILLED, await(p.ba().closeFuture()));
            assertFalse(p.ab().isOpen());
            assertInstanceOf(ConnectionClosedException.class, failure(out.write(ByteBuffer.wrap(new byte[] {1}))));
            // One-shot: a new connection is not affected.
            p.b().connections.clear();
            var again = p.a().connectTo(p.b());
            ByteStream s2 = await(again.openStream());
            s2.write(ByteBuffer.wrap(data));
            s2.finish();
            assertArrayEquals(data, readAll(p.b().nextStream()));
        }
    }

    @Test
    void killConnectionsKillsBothSidesAsALoss() throws Exception {
        try (TestNet net = new TestNet()) {
            TestNet.Pair p = net.pair(Map.of());
            ByteStream out = await(p.ab().openStream());
            await(out.write(ByteBuffer.wrap(new byte[] {1})));
            ByteStream in = p.b().nextStream();
            await(in.read());
            CompletionStage<?> pendingA = out.read();
            CompletionStage<?> pendingB = in.read();
            net.network.killConnections(p.b().id, p.a().id);
            assertInstanceOf(ConnectionClosedException.class, failure(pendingA));
            assertInstanceOf(ConnectionClosedException.class, failure(pendingB));
            assertEquals(KILLED, await(p.ab().closeFuture()));
            assertEquals(KILLED, await(p.ba().closeFuture()));
            assertEquals(0, net.network.openConnections(p.a().id, p.b().id));
        }
    }

    @Test
    void resetStreamsAfterBytesDeliversExactlyNThenResets() throws Exception {
        try (TestNet net = new TestNet()) {
            TestNet.Pair p = net.pair(Map.of());
            net.network.resetStreamsAfterBytes(p.a().id, p.b().id, 1500);
            ByteStream out = await(p.ab().openStream());
            byte[] data = pattern(5000, 9);
            for (int i = 0; i < 5; i++) {
                out.write(ByteBuffer.wrap(data, i * 1000, 1000));
            }
            ByteStream in = p.b().nextStream();
            TestNet.ReadUntilFailure r = TestNet.readUntilFailure(in);
            assertArrayEquals(Arrays.copyOf(data, 1500), r.bytes());
            StreamResetException e = (StreamResetException) r.failure();
            assertEquals(InMemoryNetwork.NETWORK_RESET_CODE, e.errorCode());
            assertTrue(e.byPeer());
            StreamResetException w = (StreamResetException) failure(out.write(ByteBuffer.wrap(new byte[] {1})));
            assertEquals(InMemoryNetwork.NETWORK_RESET_CODE, w.errorCode());
            assertTrue(p.ab().isOpen() && p.ba().isOpen(), "the connection stays up");
            ByteStream s2 = await(p.ab().openStream());
            s2.write(ByteBuffer.wrap(data));
            s2.finish();
            assertArrayEquals(data, readAll(p.b().nextStream()));
        }
    }

    @Test
    void resetStreamsResetsEveryStreamButKeepsTheConnection() throws Exception {
        try (TestNet net = new TestNet()) {
            TestNet.Pair p = net.pair(Map.of());
            ByteStream s1 = await(p.ab().openStream());
            ByteStream s2 = await(p.ba().openStream());
            await(s1.write(ByteBuffer.wrap(new byte[] {1})));
            await(s2.write(ByteBuffer.wrap(new byte[] {2})));
            ByteStream s1b = p.b().nextStream();
            ByteStream s2a = p.a().nextStream();
            await(s1b.read());
            await(s2a.read());
            CompletionStage<?> r1 = s1.read();
            CompletionStage<?> r2 = s2.read();
            net.network.resetStreams(p.a().id, p.b().id);
            for (CompletionStage<?> r : new CompletionStage<?>[] {r1, r2, s1b.read(), s2a.read()}) {
                StreamResetException e = (StreamResetException) failure(r);
                assertEquals(0xDEAD, e.errorCode());
            }
            assertTrue(p.ab().isOpen());
        }
    }

    @Test
    void tapSeesTheExactBytesWritten() throws Exception {
        try (TestNet net = new TestNet()) {
            TestNet.Pair p = net.pair(Map.of("inmem.streamWindowBytes", "10000"));
            Map<Long, ByteArrayOutputStream> seen = new ConcurrentHashMap<>();
            java.util.concurrent.atomic.AtomicBoolean writable = new java.util.concurrent.atomic.AtomicBoolean();
            AutoCloseable tap = net.network.tap(p.a().id, p.b().id, (conn, stream, bytes) -> {
                if (!bytes.isReadOnly()) {
                    writable.set(true);
                }
                TestNet.append(seen.computeIfAbsent(stream, k -> new ByteArrayOutputStream()), bytes);
            });
            ByteStream out = await(p.ab().openStream());
            byte[] data = pattern(300_000, 5);
            out.write(ByteBuffer.wrap(data));
            out.finish();
            ByteStream in = p.b().nextStream();
            assertArrayEquals(data, readAll(in));
            // Taps run before the end of stream is reported on the same connection; poll anyway.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (sizeOf(seen, out.id()) < data.length && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertArrayEquals(data, seen.get(out.id()).toByteArray());
            assertEquals(1, seen.size(), "only the a->b direction is tapped");
            assertFalse(writable.get(), "taps must get read-only buffers");
            tap.close();
            tap.close();
            ByteStream s2 = await(p.ab().openStream());
            s2.write(ByteBuffer.wrap(data));
            s2.finish();
            readAll(p.b().nextStream());
            assertFalse(seen.containsKey(s2.id()), "a closed tap sees nothing");
        }
    }

    private static int sizeOf(Map<Long, ByteArrayOutputStream> seen, long id) {
        ByteArrayOutputStream b = seen.get(id);
        return b == null ? 0 : b.size();
    }

    @Test
    void shapingDelaysDeliveryByAtLeastTheDelay() throws Exception {
        try (TestNet net = new TestNet()) {
            TestNet.Pair p = net.pair(Map.of());
            Duration delay = Duration.ofMillis(150);
            net.network.shape(p.a().id, p.b().id, LinkShape.delay(delay));
            ByteStream out = await(p.ab().openStream());
            long t0 = System.nanoTime();
            out.write(ByteBuffer.wrap(pattern(1000, 1)));
            out.finish();
            ByteStream in = p.b().nextStream();
            long firstSeen = System.nanoTime() - t0;
            assertEquals(1000, readAll(in).length);
            assertTrue(firstSeen >= delay.toNanos(), "delivered after " + firstSeen / 1_000_000 + " ms");
        }
    }

    @Test
    void shapingPacesBytesAtTheConfiguredRate() throws Exception {
        try (TestNet net = new TestNet()) {
            TestNet.Pair p = net.pair(Map.of());
            net.network.shape(p.a().id, p.b().id, LinkShape.rate(200_000, 0));
            ByteStream out = await(p.ab().openStream());
            byte[] data = pattern(100_000, 2);
            long t0 = System.nanoTime();
            out.write(ByteBuffer.wrap(data));
            out.finish();
            assertArrayEquals(data, readAll(p.b().nextStream()));
            long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(elapsedMs >= 450, "100 kB at 200 kB/s took only " + elapsedMs + " ms");
            net.network.clearShape(p.a().id, p.b().id);
        }
    }
}
