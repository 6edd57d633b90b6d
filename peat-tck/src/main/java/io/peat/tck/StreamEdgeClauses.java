package io.peat.tck;

import static io.peat.tck.Ascii.ascii;
import static io.peat.tck.Ascii.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peat.spi.ByteStream;
import io.peat.spi.PeerConnection;
import io.peat.spi.PeerId;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * T6 stream edges (CONTRACT.md): what a caller of a transport relies on at the edges of
 * {@link ByteStream} and {@link PeerConnection}, each a sentence of their Javadoc: who owns a
 * buffer {@code read()} returned, writes after {@code finish()}, empty writes, a repeated
 * {@code finish()}, a second outstanding {@code read()}, many streams writing at once, and a peer id
 * that stays the same across redials. Endpoint "b" dials the listening endpoint "a".
 */
public interface StreamEdgeClauses extends TckSupport {

    @Test
    @DisplayName("T6.1 A buffer read() returned belongs to the caller: later reads never change its bytes")
    default void required_T6_1_aReturnedBufferIsTheCallersForGood() throws Exception {
        ConnectedPair p = ConnectedPair.open(this);
        int writes = 64;
        int size = 1000;
        byte[] payload = BytePattern.bytes(61, 0, writes * size);
        ByteStream sb = StreamIo.done(p.atB.openStream(), "b's openStream()");
        List<CompletionStage<Void>> written = new ArrayList<>();
        for (int i = 0; i < writes; i++) {
            written.add(sb.write(ByteBuffer.wrap(payload, i * size, size)));
        }
        written.add(sb.finish());
        ByteStream sa = ConnectedPair.nextStream(p.a, "a being told of the stream b wrote 64 writes on");
        // Keep every buffer as returned, without copying, and look at them only once the stream has ended.
        List<ByteBuffer> kept = new ArrayList<>();
        while (true) {
            Optional<ByteBuffer> chunk = StreamIo.done(sa.read(), "a's read " + (kept.size() + 1) + " on b's stream");
            if (chunk.isEmpty()) {
                break;
            }
            kept.add(chunk.get());
        }
        StreamIo.allDone(written, i -> "b's write " + (i + 1), () -> 0);
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (ByteBuffer b : kept) {
            byte[] a = new byte[b.remaining()];
            b.duplicate().get(a);
            all.writeBytes(a);
        }
        int[] sizes = new int[writes];
        java.util.Arrays.fill(sizes, size);
        BytePattern.assertSame("the " + kept.size() + " buffers a's reads returned, looked at after the last read (a transport"
                + " that hands out a buffer it reuses for the next read changes them)", payload, all.toByteArray(),
                BytePattern.writes(sizes));
    }

    @Test
    @DisplayName("T6.2 write() after finish() fails with IllegalStateException (thrown or as a failed stage) and sends "
            + "nothing: the peer reads the bytes before the finish, then a clean end")
    default void required_T6_2_writeAfterFinishFails() throws Exception {
        ConnectedPair p = ConnectedPair.open(this);
        ConnectedPair.Streams s = p.openFromB(ascii("before"));
        StreamIo.done(s.atB().finish(), "b's finish()");
        StreamIo.failsOrThrows(() -> s.atB().write(ByteBuffer.wrap(ascii("after"))), IllegalStateException.class,
                "b's write() after its finish()");
        assertEquals("before", text(StreamReader.start(s.atA(), "a's read to the end").join()),
                "what a read: the bytes before the finish, then a clean end, nothing written after it");
    }

    @Test
    @DisplayName("T6.3 finish() is idempotent: a second call completes normally, the peer sees one clean end, and the "
            + "other direction still works")
    default void required_T6_3_finishTwiceIsHarmless() throws Exception {
        ConnectedPair p = ConnectedPair.open(this);
        ConnectedPair.Streams s = p.openFromB(ascii("once"));
        StreamIo.done(s.atB().finish(), "b's first finish()");
        StreamIo.done(s.atB().finish(), "b's second finish() (finish is idempotent)");
        assertEquals("once", text(StreamReader.start(s.atA(), "a's read to the end").join()));
        // The other direction still works after b finished twice: a writes, b reads.
        StreamIo.done(s.atA().write(ByteBuffer.wrap(ascii("back"))), "a's write after b finished twice");
        StreamIo.done(s.atA().finish(), "a's finish()");
        assertEquals("back", text(StreamReader.start(s.atB(), "b's read of a's answer").join()));
    }

    @Test
    @DisplayName("T6.4 An empty write (an empty buffer, or one with nothing remaining) completes and sends nothing")
    default void required_T6_4_emptyWriteCompletes() throws Exception {
        ConnectedPair p = ConnectedPair.open(this);
        ConnectedPair.Streams s = p.openFromB(ascii("x"));
        StreamIo.done(s.atB().write(ByteBuffer.allocate(0)), "b's empty write");
        StreamIo.done(s.atB().write(ByteBuffer.wrap(new byte[10], 10, 0)), "b's write of a buffer with nothing remaining");
        StreamIo.done(s.atB().write(ByteBuffer.wrap(ascii("y"))), "b's write after the empty ones");
        StreamIo.done(s.atB().finish(), "b's finish()");
        assertEquals("xy", text(StreamReader.start(s.atA(), "a's read to the end").join()), "the empty writes added bytes");
    }

    @Test
    @DisplayName("T6.5 A second read() while one is outstanding is refused with IllegalStateException (thrown or as a "
            + "failed stage); the first still completes with the next bytes")
    default void required_T6_5_secondOutstandingReadIsRefused() throws Exception {
        ConnectedPair p = ConnectedPair.open(this);
        ConnectedPair.Streams s = p.openFromB(ascii("1"));
        assertEquals("1", text(ConnectedPair.readExactly(s.atA(), 1, "a's read of the first byte")));
        CompletionStage<Optional<ByteBuffer>> first = s.atA().read(); // nothing to read yet: outstanding
        StreamIo.failsOrThrows(() -> s.atA().read(), IllegalStateException.class, "a's second read() while its first is outstanding");
        StreamIo.done(s.atB().write(ByteBuffer.wrap(ascii("2"))), "b's second write");
        Optional<ByteBuffer> got = StreamIo.done(first, "a's outstanding first read");
        assertTrue(got.isPresent() && got.get().remaining() == 1 && got.get().get(got.get().position()) == '2',
                "the outstanding read got " + got.map(ByteBuffer::remaining).map(n -> n + " bytes").orElse("the end")
                        + ", expected the one byte b wrote next");
    }

    @Test
    @DisplayName("T6.6 64 streams of one connection, writing in 8 interleaved rounds from 8 threads, each carry only "
            + "their own bytes")
    default void required_T6_6_sixtyFourStreamsWritingAtOnceKeepTheirBytes() throws Exception {
        ConnectedPair p = ConnectedPair.open(this);
        int streams = 64;
        int rounds = 8;
        int size = 512;
        List<ByteStream> opened = new ArrayList<>();
        List<StreamReader> readers = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            ByteStream s = StreamIo.done(p.atB.openStream(), "b's openStream() number " + (i + 1));
            StreamIo.done(s.write(ByteBuffer.wrap(chunk(i, 0, size))), "b's first write on stream " + (i + 1));
            opened.add(s);
            ByteStream at = ConnectedPair.nextStream(p.a, "a being told of b's stream " + (i + 1));
            readers.add(StreamReader.start(at, "a's read of the " + (i + 1) + "th stream it was told of (id " + at.id() + ")"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8, TckThreads.daemon("peat-tck-t6-6"));
        try {
            for (int r = 1; r < rounds; r++) {
                int round = r;
                List<Future<CompletionStage<Void>>> submitted = new ArrayList<>();
                for (int i = 0; i < streams; i++) {
                    int n = i;
                    submitted.add(pool.submit(() -> opened.get(n).write(ByteBuffer.wrap(chunk(n, round, size)))));
                }
                List<CompletionStage<Void>> writes = new ArrayList<>();
                for (Future<CompletionStage<Void>> f : submitted) {
                    writes.add(f.get(TckTimeouts.await().toMillis(), TimeUnit.MILLISECONDS));
                }
                StreamIo.allDone(writes, i -> "b's round " + (round + 1) + " write on stream " + (i + 1), () -> 0);
            }
        } finally {
            pool.shutdownNow();
        }
        for (ByteStream s : opened) {
            StreamIo.done(s.finish(), "b's finish() of stream id " + s.id());
        }
        List<Integer> seen = new ArrayList<>();
        for (StreamReader reader : readers) {
            byte[] got = reader.join();
            assertTrue(got.length >= 4, "a stream carried " + got.length + " bytes");
            int index = ByteBuffer.wrap(got).getInt();
            assertTrue(index >= 0 && index < streams && !seen.contains(index), "a stream a read starts with b's stream number " + index
                    + ": streams mixed up their bytes");
            seen.add(index);
            java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
            for (int r = 0; r < rounds; r++) {
                expected.writeBytes(chunk(index, r, size));
            }
            int[] sizes = new int[rounds];
            java.util.Arrays.fill(sizes, size);
            BytePattern.assertSame("the bytes a read on b's stream " + (index + 1) + " (" + rounds + " rounds of " + size
                    + " bytes, written while all " + streams + " streams were writing; another stream's bytes here are cross-talk)",
                    expected.toByteArray(), got, BytePattern.writes(sizes));
        }
    }

    @Test
    @DisplayName("T6.7 Every connection between two endpoints, dialed either way and redialed three times, names the "
            + "right peer on both ends (remotePeerId() is stable across redials)")
    default void required_T6_7_peerIdsStayTheSameAcrossRedials() throws Exception {
        RawEndpoint a = raw("a");
        RawEndpoint b = raw("b");
        PeerId idA = a.transport().localPeerId();
        PeerId idB = b.transport().localPeerId();
        for (int i = 1; i <= 3; i++) {
            PeerConnection atB = StreamIo.done(b.transport().connect(address(a.transport()), idA), "b's dial " + i + " of a");
            PeerConnection atA = ConnectedPair.nextConnection(a, "a being told of b's dial " + i);
            assertEquals(idA, atB.remotePeerId(), "b's connection " + i + " to a names another peer");
            assertEquals(idB, atA.remotePeerId(), "a's connection " + i + " from b names another peer");
            PeerConnection back = StreamIo.done(a.transport().connect(address(b.transport()), idB), "a's dial " + i + " of b");
            PeerConnection backAtB = ConnectedPair.nextConnection(b, "b being told of a's dial " + i);
            assertEquals(idB, back.remotePeerId(), "a's dialed connection " + i + " to b names another peer");
            assertEquals(idA, backAtB.remotePeerId(), "b's connection " + i + " from a names another peer");
            if (i % 2 == 1) {
                atB.close(0, "redial");
                back.close(0, "redial");
            }
        }
    }

    @Test
    @DisplayName("T6.8 A stream whose reader does not read holds up only itself: while a 16 MiB write on it waits, "
            + "another stream of the connection carries bytes both ways")
    default void required_T6_8_aStalledStreamHoldsUpNoOther() throws Exception {
        ConnectedPair p = ConnectedPair.open(this);
        ConnectedPair.Streams stalled = p.openFromB(new byte[] {1});
        // a never reads this stream again: 16 MiB cannot all be taken, and the write stays pending.
        CompletionStage<Void> big = stalled.atB().write(ByteBuffer.allocate(16 << 20));
        ConnectedPair.Streams other = p.openFromB(ascii("hello"));
        assertEquals("hello", text(ConnectedPair.readExactly(other.atA(), 5, "a's read on a second stream while b's 16 MiB write"
                + " on the first waits for a reader")));
        StreamIo.done(other.atA().write(ByteBuffer.wrap(ascii("world"))), "a's answer on the second stream");
        assertEquals("world", text(ConnectedPair.readExactly(other.atB(), 5, "b's read of a's answer on the second stream")));
        StreamIo.done(other.atB().write(ByteBuffer.wrap(ascii("!"))), "b's second write on the second stream, its 16 MiB write on"
                + " the first " + (big.toCompletableFuture().isDone() ? "taken" : "still pending"));
        assertEquals("!", text(ConnectedPair.readExactly(other.atA(), 1, "a's read of b's second write on the second stream")));
    }

    private static byte[] chunk(int stream, int round, int size) {
        byte[] b = BytePattern.bytes(6600 + stream, (long) round * size, size);
        if (round == 0) {
            ByteBuffer.wrap(b).putInt(stream); // the stream's number leads its bytes
        }
        return b;
    }
}
