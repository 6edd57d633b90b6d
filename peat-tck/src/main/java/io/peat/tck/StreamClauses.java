package io.peat.tck;

import static io.peat.tck.Ascii.ascii;
import static io.peat.tck.Ascii.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peat.spi.ByteStream;
import io.peat.spi.StreamResetException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * T3 streams (CONTRACT.md): ordered, whole, byte-exact delivery in each direction, a clean FIN
 * told apart from a reset, half-close, large and many writes, many streams, writes from many
 * threads, and streams announced to the peer. Endpoint "b" dials the listening endpoint "a" and
 * opens the streams unless a clause says otherwise.
 */
public interface StreamClauses extends TckSupport {

    /** Write sizes for T3.1: single bytes, odd sizes, and sizes around common buffer boundaries. */
    int[] CHUNKING = {1, 2, 3, 5, 8, 13, 100, 511, 512, 513, 1000, 1, 4095, 4096, 4097, 1, 1, 16384, 65535, 65536, 65537, 7,
        131071, 131072, 131073, 2, 300000, 1, 9};

    @Test
    @DisplayName("T3.1 Bytes arrive in the order they were written, whatever the chunking")
    default void required_T3_1_bytesArriveInWriteOrder() throws Exception {
        ConnectedPair p = ConnectedPair.open(this);
        int[] sizes = new int[CHUNKING.length * 2];
        for (int i = 0; i < CHUNKING.length; i++) {
            sizes[i] = CHUNKING[i];
            sizes[sizes.length - 1 - i] = CHUNKING[i];
        }
        int total = Arrays.stream(sizes).sum();
        byte[] payload = BytePattern.bytes(31, 0, total);
        ByteStream sb = StreamIo.done(p.atB.openStream(), "b's openStream()");
        // Every write queued at once, without waiting: the transport must keep them in call order.
        List<CompletionStage<Void>> writes = new ArrayList<>();
        int off = 0;
        for (int size : sizes) {
            writes.add(sb.write(ByteBuffer.wrap(payload, off, size)));
            off += size;
        }
        CompletionStage<Void> fin = sb.finish();
        ByteStream sa = ConnectedPair.nextStream(p.a, "a being told of the stream b wrote " + sizes.length + " writes on");
        StreamReader reader = StreamReader.start(sa, "a's read of the stream b wrote " + sizes.length + " writes on");
        byte[] got = reader.join();
        BytePattern.assertSame("the bytes b wrote in " + sizes.length + " writes of 1 byte to " + StreamIo.size(300000)
                + ", as a read them", payload, got, BytePattern.writes(sizes));
        StreamIo.allDone(writes, i -> "b's write " + (i + 1) + " of " + sizes.length + " (" + sizes[i] + " bytes)", reader::received);
        StreamIo.done(fin, "b's finish() after " + sizes.length + " writes");
    }

    @Test
    @DisplayName("T3.2 finish() after the last byte is a clean end: the reader gets every byte, then Optional.empty()")
    default void required_T3_2_finishIsACleanEndAfterEveryByte() throws Exception {
        ConnectedPair p = ConnectedPair.open(this);
        int[] sizes = {1000, 2000, 3000, 24};
        int total = Arrays.stream(sizes).sum();
        byte[] payload = BytePattern.bytes(32, 0, total);
        ByteStream sb = StreamIo.done(p.atB.openStream(), "b's openStream()");
        List<CompletionStage<Void>> writes = new ArrayList<>();
        int off = 0;
        for (int size : sizes) {
            writes.add(sb.write(ByteBuffer.wrap(payload, off, size)));
            off += size;
        }
        // finish() right after the last write, without waiting for it: the FIN must come after its bytes.
        CompletionStage<Void> fin = sb.finish();
        ByteStream sa = ConnectedPair.nextStream(p.a, "a being told of the stream b wrote and finished");
        StreamReader reader = StreamReader.start(sa, "a's read up to the FIN b sent after " + sizes.length + " writes");
        byte[] got = reader.join();
        BytePattern.assertSame("the bytes b wrote before finish(), as a read them up to the end of stream", payload, got,
                BytePattern.writes(sizes));
        StreamIo.allDone(writes, i -> "b's write " + (i + 1) + " of " + sizes.length + " (" + sizes[i] + " bytes)", reader::received);
        StreamIo.done(fin, "b's finish() after its last write");
        Optional<ByteBuffer> again = StreamIo.done(sa.read(), "a's read after the end of stream");
        assertTrue(again.isEmpty(), "after the end of stream a's next read returned " + again.map(ByteBuffer::remaining).orElse(0)
                + " more bytes instead of the end of stream again");
    }

    @Test
    @DisplayName("T3.3 A reset is told apart from a FIN: the peer's read fails with StreamResetException")
    default void required_T3_3_resetIsToldApartFromFin() throws Exception {
        StreamResetException e = resetAfterBytes(77);
        assertTrue(e.byPeer(), "a's read failed with a StreamResetException that says byPeer false, but b reset the stream: "
                + e.getMessage());
    }

    @Test
    @DisplayName("T3.4 Half-close works in each direction: after one side finishes, the other can still write and the first can"
            + " still read, until both have finished")
    default void required_T3_4_halfCloseWorksInEachDirection() throws Exception {
        ConnectedPair p = ConnectedPair.open(this);

        // Stream 1: the opener (b) finishes first.
        ConnectedPair.Streams one = p.openFromB(ascii("b->a before b's FIN"));
        StreamIo.done(one.atB().finish(), "b's finish() on stream 1");
        assertEquals("b->a before b's FIN", text(ConnectedPair.readExactly(one.atA(), 19, "a's read on stream 1")),
                "the bytes a read on stream 1");
        expectEnd(one.atA(), "a's read on stream 1 after b finished");
        StreamIo.done(one.atA().write(ByteBuffer.wrap(ascii("a->b after b's FIN"))), "a's write on stream 1 after b finished"
                + " its direction (half-close: a can still write)");
        StreamIo.done(one.atA().finish(), "a's finish() on stream 1 after b finished");
        assertEquals("a->b after b's FIN", text(ConnectedPair.readExactly(one.atB(), 18, "b's read on stream 1 after b finished"
                + " (half-close: b can still read)")), "the bytes b read on stream 1 after it finished");
        expectEnd(one.atB(), "b's read on stream 1 after both finished");

        // Stream 2: the accepting side (a) finishes first.
        ConnectedPair.Streams two = p.openFromB(ascii("x"));
        ConnectedPair.readExactly(two.atA(), 1, "a's read on stream 2");
        StreamIo.done(two.atA().write(ByteBuffer.wrap(ascii("a->b before a's FIN"))), "a's write on stream 2");
        StreamIo.done(two.atA().finish(), "a's finish() on stream 2");
        assertEquals("a->b before a's FIN", text(ConnectedPair.readExactly(two.atB(), 19, "b's read on stream 2")),
                "the bytes b read on stream 2");
        expectEnd(two.atB(), "b's read on stream 2 after a finished");
        StreamIo.done(two.atB().write(ByteBuffer.wrap(ascii("b->a after a's FIN"))), "b's write on stream 2 after a finished"
                + " its direction (half-close: b can still write)");
        StreamIo.done(two.atB().finish(), "b's finish() on stream 2 after a finished");
        assertEquals("b->a after a's FIN", text(ConnectedPair.readExactly(two.atA(), 18, "a's read on stream 2 after a finished"
                + " (half-close: a can still read)")), "the bytes a read on stream 2 after it finished");
        expectEnd(two.atA(), "a's read on stream 2 after both finished");
    }

    @Test
    @DisplayName("T3.5 One 10 MiB write arrives whole and byte-exact")
    default void required_T3_5_tenMebibyteWriteArrivesWhole() throws Exception {
        ConnectedPair p = ConnectedPair.open(this);
        int size = 10 << 20;
        byte[] payload = BytePattern.bytes(35, 0, size);
        ByteStream sb = StreamIo.done(p.atB.openStream(), "b's openStream()");
        CompletionStage<Void> write = sb.write(ByteBuffer.wrap(payload));
        ByteStream sa = ConnectedPair.nextStream(p.a, "a being told of the stream b is writing 10 MiB on");
        StreamReader reader = StreamReader.start(sa, "a's read of b's 10 MiB write");
        StreamIo.done(write, "b's write of 10 MiB (a had read " + "its bytes as they came)", reader::received);
        StreamIo.done(sb.finish(), "b's finish() after the 10 MiB write", reader::received);
        byte[] got = reader.join();
        BytePattern.assertSame("the 10 MiB b wrote in one write, as a read them", payload, got, BytePattern.writes(new int[] {size}));
    }

    @Test
    @DisplayName("T3.6 2,000 writes of 1 KiB arrive whole and in order")
    default void required_T3_6_twoThousandSmallWritesArriveInOrder() throws Exception {
        ConnectedPair p = ConnectedPair.open(this);
        int n = 2000;
        int size = 1024;
        byte[] payload = BytePattern.bytes(36, 0, n * size);
        ByteStream sb = StreamIo.done(p.atB.openStream(), "b's openStream()");
        List<CompletionStage<Void>> writes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            writes.add(sb.write(ByteBuffer.wrap(payload, i * size, size)));
        }
        ByteStream sa = ConnectedPair.nextStream(p.a, "a being told of the stream b made 2000 writes on");
        StreamReader reader = StreamReader.start(sa, "a's read of b's 2000 writes of 1 KiB");
        StreamIo.allDone(writes, i -> "b's write " + (i + 1) + " of " + n + " (1 KiB)", reader::received);
        StreamIo.done(sb.finish(), "b's finish() after 2000 writes", reader::received);
        byte[] got = reader.join();
        int[] sizes = new int[n];
        Arrays.fill(sizes, size);
        BytePattern.assertSame("the bytes of b's 2000 writes of 1 KiB, as a read them", payload, got, BytePattern.writes(sizes));
    }

    @Test
    @DisplayName("T3.7 100 concurrent streams on one connection each carry their own bytes")
    default void required_T3_7_hundredConcurrentStreamsKeepTheirBytes() throws Exception {
        ConnectedPair p = ConnectedPair.open(this);
        int streams = 100;
        int size = 8 * 1024;
        int replySize = 4 * 1024;
        List<ByteStream> opened = new ArrayList<>();
        List<StreamReader> replies = new ArrayList<>();
        List<CompletionStage<Void>> writes = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            ByteStream s = StreamIo.done(p.atB.openStream(), "b's openStream() number " + (i + 1) + " of " + streams);
            opened.add(s);
            writes.add(s.write(ByteBuffer.wrap(streamPayload(i, size))));
            writes.add(s.finish());
            replies.add(StreamReader.start(s, "b's read of a's reply on b's stream " + (i + 1) + " of " + streams + " (id " + s.id() + ")"));
        }
        List<ByteStream> accepted = new ArrayList<>();
        List<StreamReader> readers = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            ByteStream s = ConnectedPair.nextStream(p.a, "a being told of stream " + (i + 1) + " of the " + streams + " b opened");
            accepted.add(s);
            readers.add(StreamReader.start(s, "a's read of the " + (i + 1) + "th stream it was told of (id " + s.id() + ")"));
        }
        StreamIo.allDone(writes, i -> "b's " + (i % 2 == 0 ? "write" : "finish()") + " on its stream " + (i / 2 + 1) + " of " + streams,
                () -> readers.stream().mapToLong(StreamReader::received).sum());
        Map<Integer, ByteStream> byIndex = new HashMap<>();
        for (int i = 0; i < streams; i++) {
            byte[] got = readers.get(i).join();
            ByteStream s = accepted.get(i);
            assertTrue(got.length >= 4, "a's stream id " + s.id() + " carried only " + got.length + " bytes, expected " + size);
            int index = ByteBuffer.wrap(got).getInt();
            assertTrue(index >= 0 && index < streams, "a's stream id " + s.id() + " starts with stream number " + index
                    + ", which b never wrote: its bytes are not any stream's");
            ByteStream previous = byIndex.put(index, s);
            assertTrue(previous == null, "a's streams id " + (previous == null ? -1 : previous.id()) + " and id " + s.id()
                    + " both carry the bytes of b's stream " + (index + 1) + ": streams mixed up their bytes");
            BytePattern.assertSame("the bytes a read on stream id " + s.id() + " (b's stream " + (index + 1) + ", id "
                    + opened.get(index).id() + ")", streamPayload(index, size), got, BytePattern.writes(new int[] {size}));
            StreamIo.done(s.write(ByteBuffer.wrap(BytePattern.bytes(500 + index, 0, replySize))), "a's reply write on stream id " + s.id());
            StreamIo.done(s.finish(), "a's finish() of its reply on stream id " + s.id());
        }
        for (int i = 0; i < streams; i++) {
            byte[] got = replies.get(i).join();
            BytePattern.assertSame("a's reply as b read it on its stream " + (i + 1) + " (id " + opened.get(i).id() + ")",
                    BytePattern.bytes(500 + i, 0, replySize), got, BytePattern.writes(new int[] {replySize}));
        }
    }

    @Test
    @DisplayName("T3.8 A stream opened by one side is seen by the peer (onStream) once bytes are written on it")
    default void required_T3_8_peerIsToldOfAStreamOnceBytesArrive() throws Exception {
        ConnectedPair p = ConnectedPair.open(this);

        ByteStream sb = StreamIo.done(p.atB.openStream(), "b's openStream()");
        StreamIo.done(sb.write(ByteBuffer.wrap(ascii("from b"))), "b's first write on the stream it opened");
        ByteStream sa = ConnectedPair.nextStream(p.a, "a's listener being told (onStream) of the stream b opened and wrote on");
        assertAnnounced(sb, sa, "b", "a");
        assertEquals("from b", text(ConnectedPair.readExactly(sa, 6, "a's read on the stream b opened")),
                "the bytes a read on the stream b opened");

        ByteStream sa2 = StreamIo.done(p.atA.openStream(), "a's openStream() on the connection b dialed");
        StreamIo.done(sa2.write(ByteBuffer.wrap(ascii("from a"))), "a's first write on the stream it opened");
        ByteStream sb2 = ConnectedPair.nextStream(p.b, "b's listener being told (onStream) of the stream a opened on the"
                + " connection b dialed");
        assertAnnounced(sa2, sb2, "a", "b");
        assertEquals("from a", text(ConnectedPair.readExactly(sb2, 6, "b's read on the stream a opened")),
                "the bytes b read on the stream a opened");
    }

    @Test
    @DisplayName("T3.9 The peer's StreamResetException carries the code given to reset(code)")
    default void optional_T3_9_resetCodeReachesThePeer() throws Exception {
        requireCapability(Capability.RESET_CODE_DELIVERED);
        StreamResetException e = resetAfterBytes(0x2A);
        assertEquals(0x2A, e.errorCode(), "b reset the stream with code 42, a's StreamResetException carries code "
                + e.errorCode() + ": " + e.getMessage());
    }

    @Test
    @DisplayName("T3.10 Writes made from several threads on one stream are each kept whole: the reader sees every write's bytes"
            + " contiguous (never interleaved with another write's)")
    default void required_T3_10_concurrentWritesAreKeptWhole() throws Exception {
        ConnectedPair p = ConnectedPair.open(this);
        int threads = 8;
        int perThread = 200;
        ByteStream sb = StreamIo.done(p.atB.openStream(), "b's openStream()");
        List<CompletionStage<Void>> writes = new CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads, TckThreads.daemon("peat-tck-writer"));
        closeAfter((AutoCloseable) pool::shutdownNow);
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Void>> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            writers.add(CompletableFuture.runAsync(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int seq = 0; seq < perThread; seq++) {
                    writes.add(sb.write(ByteBuffer.wrap(record(thread, seq))));
                }
            }, pool));
        }
        start.countDown();
        ByteStream sa = ConnectedPair.nextStream(p.a, "a being told of the stream " + threads + " threads of b write on");
        StreamReader reader = StreamReader.start(sa, "a's read of the records " + threads + " threads wrote");
        for (int t = 0; t < threads; t++) {
            StreamIo.done(writers.get(t), "writer thread " + t + "'s " + perThread + " write() calls", reader::received);
        }
        StreamIo.allDone(writes, i -> "one of the " + threads * perThread + " concurrent writes of " + RECORD + " bytes", reader::received);
        StreamIo.done(sb.finish(), "b's finish() after the concurrent writes", reader::received);
        byte[] got = reader.join();
        checkRecords(got, threads, perThread);
    }

    /** Size of one T3.10 record: thread id, sequence number, then a pattern of both. */
    int RECORD = 512;

    private static byte[] record(int thread, int seq) {
        ByteBuffer b = ByteBuffer.allocate(RECORD);
        b.putInt(thread).putInt(seq).put(BytePattern.bytes(thread * 100_000L + seq, 8, RECORD - 8));
        return b.array();
    }

    private static void checkRecords(byte[] got, int threads, int perThread) {
        int[] next = new int[threads];
        int records = got.length / RECORD;
        for (int r = 0; r < records; r++) {
            int at = r * RECORD;
            ByteBuffer b = ByteBuffer.wrap(got, at, RECORD);
            int thread = b.getInt();
            int seq = b.getInt();
            String where = "record " + r + " (stream bytes " + at + ".." + (at + RECORD - 1) + ")";
            if (thread < 0 || thread >= threads || seq < 0 || seq >= perThread) {
                throw new AssertionError(where + " does not start with a write's header (it reads thread " + thread + ", write "
                        + seq + "): a concurrent write was torn and another write's bytes were interleaved before it");
            }
            byte[] want = record(thread, seq);
            int i = Arrays.mismatch(want, 0, RECORD, got, at, at + RECORD);
            if (i >= 0) {
                throw new AssertionError(where + " is torn: it starts as thread " + thread + "'s write " + seq + " but its byte "
                        + i + " is " + BytePattern.hex(got[at + i]) + ", expected " + BytePattern.hex(want[i])
                        + ": another write's bytes were interleaved into it");
            }
            if (seq != next[thread]) {
                throw new AssertionError(where + " is thread " + thread + "'s write " + seq + ", but its write " + next[thread]
                        + (seq > next[thread] ? " had not arrived before it (lost or reordered)" : " came earlier (delivered twice)")
                        + "; each thread's writes must arrive whole and in call order");
            }
            next[thread]++;
        }
        if (got.length % RECORD != 0) {
            throw new AssertionError(got.length + " bytes arrived, not a whole number of " + RECORD + "-byte writes: the last "
                    + got.length % RECORD + " bytes are a torn write");
        }
        for (int t = 0; t < threads; t++) {
            if (next[t] != perThread) {
                throw new AssertionError("only " + next[t] + " of thread " + t + "'s " + perThread + " writes arrived (write "
                        + next[t] + " is the first missing); " + got.length + " of " + threads * perThread * RECORD + " bytes arrived");
            }
        }
    }

    /**
     * b writes bytes on a stream, a reads them and waits for more, both sides have a read pending, and
     * b resets the stream with {@code code}.
     *
     * @return the exception a's pending read failed with
     */
    private StreamResetException resetAfterBytes(long code) throws Exception {
        ConnectedPair p = ConnectedPair.open(this);
        ConnectedPair.Streams s = p.openFromB(ascii("before the reset"));
        ConnectedPair.readExactly(s.atA(), 16, "a's read of the bytes b wrote before its reset");
        CompletionStage<Optional<ByteBuffer>> atA = s.atA().read();
        CompletionStage<Optional<ByteBuffer>> atB = s.atB().read();
        s.atB().reset(code);
        CompletableFuture<Optional<ByteBuffer>> f = atA.toCompletableFuture();
        StreamResetException e;
        try {
            e = StreamIo.fails(atA, StreamResetException.class, "a's pending read after b reset the stream with code " + code);
        } catch (AssertionError notReset) {
            if (f.isDone() && !f.isCompletedExceptionally() && f.join().isEmpty()) {
                throw new AssertionError("b reset the stream (code " + code + "), but a's read ended cleanly with Optional.empty()"
                        + " as if b had finished: a reset must fail the peer's read with StreamResetException");
            }
            throw notReset;
        }
        StreamIo.fails(atB, StreamResetException.class, "b's own pending read after b reset the stream");
        StreamIo.failsOrThrows(() -> s.atB().write(ByteBuffer.wrap(ascii("late"))), StreamResetException.class,
                "b's write after b reset the stream");
        return e;
    }

    private static byte[] streamPayload(int index, int size) {
        byte[] b = BytePattern.bytes(100 + index, 0, size);
        ByteBuffer.wrap(b).putInt(index);
        return b;
    }

    private static void assertAnnounced(ByteStream opener, ByteStream peer, String openerName, String peerName) {
        assertTrue(opener.isLocallyInitiated(), openerName + " opened the stream, but its side says isLocallyInitiated() false");
        assertFalse(peer.isLocallyInitiated(), peerName + " was told of a stream " + openerName + " opened, but its side says"
                + " isLocallyInitiated() true");
        assertEquals(opener.id(), peer.id(), "the stream " + openerName + " opened has id " + opener.id() + " there but id "
                + peer.id() + " at " + peerName + "; a stream's id is the same at both ends of its connection");
    }

    private static void expectEnd(ByteStream s, String what) {
        Optional<ByteBuffer> r = StreamIo.done(s.read(), what);
        assertTrue(r.isEmpty(), what + " returned " + r.map(ByteBuffer::remaining).orElse(0) + " more bytes, expected the end of"
                + " stream (Optional.empty())");
    }
}
