package io.peat.transport.inmem;

import static io.peat.transport.inmem.TestNet.await;
import static io.peat.transport.inmem.TestNet.failure;
import static io.peat.transport.inmem.TestNet.pattern;
import static io.peat.transport.inmem.TestNet.readAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peat.spi.ByteStream;
import io.peat.spi.CloseReason;
import io.peat.spi.ConnectionClosedException;
import io.peat.spi.StreamResetException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class StreamSemanticsTest {

    @Test
    void bytesArriveInOrderAcross2000Writes() throws Exception {
        try (TestNet net = new TestNet()) {
            TestNet.Pair p = net.pair(Map.of());
            ByteStream out = await(p.ab().openStream());
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            List<CompletionStage<Void>> writes = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                byte[] chunk = pattern(1 + (i * 7) % 300, i);
                expected.write(chunk, 0, chunk.length);
                writes.add(out.write(ByteBuffer.wrap(chunk)));
            }
            out.finish();
            ByteStream in = p.b().nextStream();
            assertArrayEquals(expected.toByteArray(), readAll(in));
            for (CompletionStage<Void> w : writes) {
                await(w);
            }
        }
    }

    @Test
    void finAfterLastByteGivesEmptyAfterAllData() throws Exception {
        try (TestNet net = new TestNet()) {
            TestNet.Pair p = net.pair(Map.of());
            ByteStream out = await(p.ab().openStream());
            byte[] data = pattern(200_000, 3);
            out.write(ByteBuffer.wrap(data));
            await(out.finish());
            ByteStream in = p.b().nextStream();
            assertArrayEquals(data, readAll(in));
            assertEquals(Optional.empty(), await(in.read()), "end of stream is sticky");
            assertInstanceOf(IllegalStateException.class, failure(out.write(ByteBuffer.wrap(new byte[] {1}))));
            await(out.finish()); // idempotent
            // The other direction is still open.
            await(in.write(ByteBuffer.wrap(new byte[] {9})));
            assertEquals(9, await(out.read()).orElseThrow().get());
        }
    }

    @Test
    void finWithoutDataAnnouncesTheStream() throws Exception {
        try (TestNet net = new TestNet()) {
            TestNet.Pair p = net.pair(Map.of());
            ByteStream out = await(p.ab().openStream());
            await(out.finish());
            ByteStream in = p.b().nextStream();
            assertEquals(out.id(), in.id());
            assertEquals(Optional.empty(), await(in.read()));
        }
    }

    @Test
    void resetIsToldApartFromFinOnBothSides() throws Exception {
        try (TestNet net = new TestNet()) {
            TestNet.Pair p = net.pair(Map.of());
            ByteStream out = await(p.ab().openStream());
            await(out.write(ByteBuffer.wrap(new byte[] {1, 2})));
            ByteStream in = p.b().nextStream();
            CompletionStage<Optional<ByteBuffer>> first = in.read();
            assertEquals(2, await(first).orElseThrow().remaining());
            CompletionStage<Optional<ByteBuffer>> localRead = out.read();
            CompletionStage<Optional<ByteBuffer>> peerRead = in.read();
            out.reset(42);

            StreamResetException peer = (StreamResetException) failure(peerRead);
            assertTrue(peer.byPeer());
            assertEquals(42, peer.errorCode());
            StreamResetException local = (StreamResetException) failure(localRead);
            assertFalse(local.byPeer());
            assertEquals(42, local.errorCode());

            StreamResetException laterWrite = (StreamResetException) failure(out.write(ByteBuffer.wrap(new byte[] {3})));
            assertFalse(laterWrite.byPeer());
            StreamResetException peerWrite = (StreamResetException) failure(in.write(ByteBuffer.wrap(new byte[] {4})));
            assertTrue(peerWrite.byPeer());
            out.reset(7); // idempotent
            assertTrue(p.ab().isOpen(), "a reset leaves the connection up");
        }
    }

    @Test
    void resetDiscardsUnreadData() throws Exception {
        try (TestNet net = new TestNet()) {
            TestNet.Pair p = net.pair(Map.of());
            ByteStream out = await(p.ab().openStream());
            await(out.write(ByteBuffer.wrap(pattern(1000, 1))));
            ByteStream in = p.b().nextStream();
            out.reset(5);
            assertInstanceOf(StreamResetException.class, failure(in.read()));
        }
    }

    @Test
    void peerSeesStreamAtFirstByteNotAtOpen() throws Exception {
        try (TestNet net = new TestNet()) {
            TestNet.Pair p = net.pair(Map.of());
            ByteStream silent = await(p.ab().openStream());
            ByteStream talking = await(p.ab().openStream());
            assertNotEquals(silent.id(), talking.id());
            await(talking.write(ByteBuffer.wrap(new byte[] {1})));
            // Announcements are ordered per connection: had "silent" been announced at open, it would come first.
            ByteStream seen = p.b().nextStream();
            assertEquals(talking.id(), seen.id());
            assertFalse(seen.isLocallyInitiated());
            assertTrue(p.b().streams.isEmpty());
            await(silent.write(ByteBuffer.wrap(new byte[] {2})));
            ByteStream later = p.b().nextStream();
            assertEquals(silent.id(), later.id());
            assertEquals(2, await(later.read()).orElseThrow().get());
            // The acceptor's streams get ids distinct from the dialer's, and reach the dialer.
            ByteStream back = await(p.ba().openStream());
            await(back.write(ByteBuffer.wrap(new byte[] {3})));
            ByteStream backSeen = p.a().nextStream();
            assertEquals(back.id(), backSeen.id());
            assertNotEquals(silent.id(), back.id());
            assertNotEquals(talking.id(), back.id());
        }
    }

    @Test
    void secondConcurrentReadThrows() throws Exception {
        try (TestNet net = new TestNet()) {
            TestNet.Pair p = net.pair(Map.of());
            ByteStream out = await(p.ab().openStream());
            CompletionStage<Optional<ByteBuffer>> pending = out.read();
            assertThrows(IllegalStateException.class, out::read);
            out.reset(1);
            assertInstanceOf(StreamResetException.class, failure(pending));
        }
    }

    @Test
    void idleReaderStallsWriterUntilItReads() throws Exception {
        int window = 64 * 1024;
        try (TestNet net = new TestNet()) {
            TestNet.Pair p = net.pair(Map.of("inmem.streamWindowBytes", Integer.toString(window)));
            ByteStream out = await(p.ab().openStream());
            byte[] data = pattern(4 * window, 11);
            CompletableFuture<Void> big = out.write(ByteBuffer.wrap(data)).toCompletableFuture();
            ByteStream in = p.b().nextStream();
            assertThrows(TimeoutException.class, () -> big.get(200, TimeUnit.MILLISECONDS));
            CompletableFuture<Void> next = out.write(ByteBuffer.wrap(new byte[] {1})).toCompletableFuture();
            assertFalse(next.isDone());
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            while (got.size() < data.length) {
                ByteBuffer b = await(in.read()).orElseThrow();
                assertTrue(b.remaining() <= window);
                TestNet.append(got, b);
            }
            await(big);
            assertArrayEquals(data, got.toByteArray());
            await(next);
        }
    }

    @Test
    void closeFailsPendingOperationsPromptlyOnBothSides() throws Exception {
        int window = 16 * 1024;
        try (TestNet net = new TestNet()) {
            TestNet.Pair p = net.pair(Map.of("inmem.streamWindowBytes", Integer.toString(window)));
            ByteStream out = await(p.ab().openStream());
            await(out.write(ByteBuffer.wrap(new byte[] {1})));
            ByteStream in = p.b().nextStream();
            await(in.read());
            CompletionStage<Void> stalledWrite = out.write(ByteBuffer.wrap(pattern(4 * window, 1)));
            CompletionStage<Optional<ByteBuffer>> aRead = out.read();
            ByteStream bOut = await(p.ba().openStream());
            CompletionStage<Void> bStalledWrite = bOut.write(ByteBuffer.wrap(pattern(4 * window, 2)));
            p.a().nextStream(); // A never reads it, so B's write stays stalled
            p.ab().close(CloseReason.NORMAL, "done");
            CompletionStage<Optional<ByteBuffer>> bRead = in.read();

            for (CompletionStage<?> s : List.of(stalledWrite, aRead, bStalledWrite, bRead)) {
                assertInstanceOf(ConnectionClosedException.class, failure(s));
            }
            CloseReason atA = await(p.ab().closeFuture());
            CloseReason atB = await(p.ba().closeFuture());
            assertEquals(new CloseReason(CloseReason.NORMAL, "done", false), atA);
            assertEquals(new CloseReason(CloseReason.NORMAL, "done", true), atB);
            assertFalse(p.ab().isOpen());
            assertFalse(p.ba().isOpen());
            assertInstanceOf(ConnectionClosedException.class, failure(p.ab().openStream()));
            assertInstanceOf(ConnectionClosedException.class, failure(p.ba().openStream()));
            assertInstanceOf(ConnectionClosedException.class, failure(out.write(ByteBuffer.wrap(new byte[] {1}))));
            p.ab().close(9, "again"); // idempotent
            assertEquals(atA, await(p.ab().closeFuture()));
        }
    }

    @Test
    void completionsDoNotRunInsideTheCall() throws Exception {
        try (TestNet net = new TestNet()) {
            TestNet.Pair p = net.pair(Map.of());
            ByteStream out = await(p.ab().openStream());
            await(out.write(ByteBuffer.wrap(new byte[] {1})));
            // A writer loop that writes again from each completion must not recurse.
            int rounds = 20_000;
            CompletableFuture<Integer> depth = new CompletableFuture<>();
            writeLoop(out, rounds, depth);
            int maxDepth = await(depth);
            assertTrue(maxDepth < 50, "stack depth grew to " + maxDepth);
            ByteStream in = p.b().nextStream();
            out.finish();
            assertEquals(1 + rounds, readAll(in).length);
        }
    }

    private static void writeLoop(ByteStream out, int remaining, CompletableFuture<Integer> depth) {
        if (remaining == 0) {
            depth.complete(Thread.currentThread().getStackTrace().length);
            return;
        }
        out.write(ByteBuffer.wrap(new byte[] {7})).whenComplete((v, e) -> {
            if (e != null) {
                depth.completeExceptionally(e);
            } else {
                writeLoop(out, remaining - 1, depth);
            }
        });
    }

    @Test
    void concurrentWritersKeepEachWriteWholeAndInCallOrder() throws Exception {
        int threads = 8;
        int perThread = 300;
        try (TestNet net = new TestNet()) {
            TestNet.Pair p = net.pair(Map.of("inmem.streamWindowBytes", "4096"));
            ByteStream out = await(p.ab().openStream());
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<List<CompletionStage<Void>>>> jobs = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int tid = t;
                    jobs.add(pool.submit(() -> {
                        start.await();
                        List<CompletionStage<Void>> ws = new ArrayList<>();
                        for (int seq = 0; seq < perThread; seq++) {
                            ws.add(out.write(frame(tid, seq, 1 + (seq * 37 + tid) % 900)));
                        }
                        return ws;
                    }));
                }
                start.countDown();
                ByteStream in = null;
                List<CompletionStage<Void>> all = new ArrayList<>();
                in = p.b().nextStream();
                CompletableFuture<byte[]> received = new CompletableFuture<>();
                ByteStream reader = in;
                Thread readerThread = new Thread(() -> {
                    try {
                        received.complete(readAll(reader));
                    } catch (Throwable e) {
                        received.completeExceptionally(e);
                    }
                });
                readerThread.start();
                for (Future<List<CompletionStage<Void>>> j : jobs) {
                    all.addAll(j.get(30, TimeUnit.SECONDS));
                }
                for (CompletionStage<Void> w : all) {
                    await(w);
                }
                await(out.finish());
                ByteBuffer bytes = ByteBuffer.wrap(await(received));
                Map<Integer, Integer> nextSeq = new HashMap<>();
                int frames = 0;
                while (bytes.hasRemaining()) {
                    int tid = bytes.getInt();
                    int seq = bytes.getInt();
                    int len = bytes.getInt();
                    for (int i = 0; i < len; i++) {
                        assertEquals((byte) (tid * 16 + seq), bytes.get(), "frame of thread " + tid + " seq " + seq + " torn");
                    }
                    assertEquals(nextSeq.getOrDefault(tid, 0), seq, "thread " + tid + " out of call order");
                    nextSeq.put(tid, seq + 1);
                    frames++;
                }
                assertEquals(threads * perThread, frames);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static ByteBuffer frame(int tid, int seq, int len) {
        ByteBuffer b = ByteBuffer.allocate(12 + len);
        b.putInt(tid).putInt(seq).putInt(len);
        for (int i = 0; i < len; i++) {
            b.put((byte) (tid * 16 + seq));
        }
        return b.flip();
    }

    @Test
    void manyStreamsInParallelAllArriveIntact() throws Exception {
        int streams = 24;
        try (TestNet net = new TestNet()) {
            TestNet.Pair p = net.pair(Map.of("inmem.streamWindowBytes", "8192"));
            Map<Long, byte[]> sent = new HashMap<>();
            for (int i = 0; i < streams; i++) {
                ByteStream s = await(p.ab().openStream());
                byte[] data = pattern(50_000 + i * 1000, i);
                sent.put(s.id(), data);
                s.write(ByteBuffer.wrap(data));
                s.finish();
            }
            List<CompletableFuture<Void>> checks = new ArrayList<>();
            for (int i = 0; i < streams; i++) {
                ByteStream in = p.b().nextStream();
                checks.add(CompletableFuture.runAsync(() -> assertArrayEquals(sent.get(in.id()), readAll(in))));
            }
            for (CompletableFuture<Void> c : checks) {
                await(c);
            }
            assertSame(null, p.b().streams.poll());
        }
    }
}
