package io.peat.sync.internal.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.peat.spi.ByteStream;
import io.peat.spi.PeerConnection;
import io.peat.spi.PeerId;
import io.peat.spi.ProtocolViolationException;
import io.peat.sync.NodeClosedException;
import io.peat.sync.SyncConfig;
import io.peat.sync.wire.Frame;
import io.peat.sync.wire.FrameCodec;
import io.peat.sync.wire.MessageType;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The receive loop: never drops, never trusts a claim, and any throwable costs one stream only (issue 10, faults 2, 3, 7). */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class StreamReaderTest {
    private static final PeerId PEER = PeerId.of("peer-x");
    private static final int ONE_MIB = 1024 * 1024;

    /** A stream whose reads the test answers, one chunk at a time. */
    static final class ScriptedStream implements ByteStream {
        private final PeerConnection connection;
        private final long id;
        private final boolean outbound;
        private final ArrayDeque<Optional<ByteBuffer>> chunks = new ArrayDeque<>();
        private CompletableFuture<Optional<ByteBuffer>> waiting;
        final AtomicInteger reads = new AtomicInteger();
        final AtomicLong resetCode = new AtomicLong(-1);

        ScriptedStream(long id) {
            this(id, openConnection(PEER), false);
        }

        ScriptedStream(long id, PeerConnection connection, boolean outbound) {
            this.id = id;
            this.connection = connection;
            this.outbound = outbound;
        }

        static PeerConnection openConnection(PeerId peer) {
            PeerConnection c = mock(PeerConnection.class);
            when(c.remotePeerId()).thenReturn(peer);
            when(c.isOpen()).thenReturn(true);
            return c;
        }

        void push(byte[] bytes) {
            offer(Optional.of(ByteBuffer.wrap(bytes)));
        }

        void fin() {
            offer(Optional.empty());
        }

        private void offer(Optional<ByteBuffer> chunk) {
            CompletableFuture<Optional<ByteBuffer>> w;
            synchronized (this) {
                w = waiting;
                waiting = null;
                if (w == null) {
                    chunks.add(chunk);
                    return;
                }
            }
            w.complete(chunk);
        }

        @Override
        public synchronized CompletionStage<Optional<ByteBuffer>> read() {
            reads.incrementAndGet();
            if (!chunks.isEmpty()) {
                return CompletableFuture.completedFuture(chunks.poll());
            }
            waiting = new CompletableFuture<>();
            return waiting;
        }

        @Override
        public long id() {
            return id;
        }

        @Override
        public PeerConnection connection() {
            return connection;
        }

        @Override
        public boolean isLocallyInitiated() {
            return outbound;
        }

        @Override
        public CompletionStage<Void> write(ByteBuffer data) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> finish() {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void reset(long errorCode) {
            resetCode.compareAndSet(-1, errorCode);
        }
    }

    private final PeerCounters counters = new PeerCounters();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final AtomicInteger cleanEnds = new AtomicInteger();

    private StreamReader reader(ScriptedStream s, SyncConfig config, FrameSink sink) {
        return new StreamReader(s, config, sink, counters, cleanEnds::incrementAndGet, errors::add);
    }

    private static byte[] frame(String key, int payloadLen) {
        return FrameCodec.encodeToArray(Frame.of(key, MessageType.DELTA_SYNC, new byte[payloadLen]));
    }

    private static void awaitTrue(String what, java.util.function.BooleanSupplier c) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 5 s: " + what);
            }
            TimeUnit.MILLISECONDS.sleep(2);
        }
    }

    @Test
    void framesWaitForTheSinkAndTheirBytesStayChargedUntilApplied() throws Exception {
        ScriptedStream s = new ScriptedStream(1);
        CompletableFuture<Void> applied = new CompletableFuture<>();
        List<Frame> got = new CopyOnWriteArrayList<>();
        reader(s, SyncConfig.defaults(), (from, frames) -> {
            got.addAll(frames);
            return applied;
        }).start();
        byte[] wire = frame("c:d", 100);

        s.push(wire);

        assertEquals(1, got.size());
        assertEquals(2 - 1, s.reads.get(), "no read while the frame is not applied");
        assertEquals(wire.length, counters.pendingBytes.get());
        applied.complete(null);
        assertEquals(2, s.reads.get(), "reads on once applied");
        assertEquals(0, counters.pendingBytes.get());
        s.fin();
        assertEquals(1, cleanEnds.get());
        assertTrue(errors.isEmpty());
    }

    @Test
    void anErrorThrownInTheReadCallbackResetsTheStreamAndCountsAProtocolError() {
        ScriptedStream s = new ScriptedStream(2);
        reader(s, SyncConfig.defaults(), (from, frames) -> {
            throw new OutOfMemoryError("simulated: Java heap space");
        }).start();

        s.push(frame("c:d", 10));

        assertEquals(StreamReader.PROTOCOL_ERROR, s.resetCode.get());
        assertEquals(1, counters.protocolErrors.get());
        assertEquals(1, errors.size());
        ProtocolViolationException e = assertInstanceOf(ProtocolViolationException.class, errors.get(0));
        assertTrue(e.getMessage().contains(PEER.value()) && e.getMessage().contains("OutOfMemoryError"), e.getMessage());
        assertEquals(0, counters.pendingBytes.get(), "what the stream held is released");
        assertEquals(1, s.reads.get(), "the loop stopped");
    }

    @Test
    void aPeerOverItsPendingBoundAcrossStreamsLosesTheStreamThatWentOver() throws Exception {
        SyncConfig config = SyncConfig.defaults().withMaxPayloadBytes(ONE_MIB).withMaxPendingBytesPerPeer(ONE_MIB + 65_542L + 1000);
        ScriptedStream first = new ScriptedStream(3);
        ScriptedStream second = new ScriptedStream(4);
        List<Frame> got = new CopyOnWriteArrayList<>();
        FrameSink sink = (from, frames) -> {
            got.addAll(frames);
            return CompletableFuture.completedFuture(null);
        };
        reader(first, config, sink).start();
        reader(second, config, sink).start();
        byte[] big = frame("c:big", ONE_MIB);
        byte[] other = frame("c:other", 400_000);

        first.push(java.util.Arrays.copyOf(big, 800_000));
        second.push(java.util.Arrays.copyOf(other, 320_000));

        assertEquals(StreamReader.PROTOCOL_ERROR, second.resetCode.get(), "the stream that went over is reset");
        assertEquals(-1, first.resetCode.get(), "the other stream goes on");
        ProtocolViolationException e = assertInstanceOf(ProtocolViolationException.class, counters.lastProtocolViolation.get());
        assertTrue(e.getMessage().contains("maxPendingBytesPerPeer") && e.getMessage().contains(PEER.value()), e.getMessage());
        assertEquals(800_000, counters.pendingBytes.get(), "the reset stream's bytes are released");

        first.push(java.util.Arrays.copyOfRange(big, 800_000, big.length));
        awaitTrue("the first stream's frame applied", () -> got.size() == 1);
        assertEquals(ONE_MIB, got.get(0).payload().length);
        assertEquals(0, counters.pendingBytes.get());
    }

    @Test
    void aSinkRefusingBecauseTheNodeClosedEndsTheStreamWithoutAProtocolError() {
        ScriptedStream s = new ScriptedStream(5);
        AtomicReference<Throwable> seen = new AtomicReference<>();
        new StreamReader(s, SyncConfig.defaults(), (from, frames) -> CompletableFuture.failedFuture(new NodeClosedException("closed")),
                counters, cleanEnds::incrementAndGet, seen::set).start();

        s.push(frame("c:d", 10));

        assertInstanceOf(NodeClosedException.class, seen.get());
        assertEquals(0, s.resetCode.get(), "reset without an error code");
        assertEquals(0, counters.protocolErrors.get());
        assertEquals(1, s.reads.get(), "no further reads after the node closed (the old loop read on and logged an ERROR per frame)");
        assertNull(counters.lastProtocolViolation.get());
    }
}
