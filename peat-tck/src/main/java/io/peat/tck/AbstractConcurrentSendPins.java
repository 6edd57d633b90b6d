package io.peat.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.peat.spi.PeerId;
import io.peat.sync.BackpressureException;
import io.peat.sync.DocKey;
import io.peat.sync.SyncBackend;
import io.peat.sync.channel.SyncChannel;
import io.peat.sync.wire.Frame;
import io.peat.sync.wire.MessageType;
import io.peat.sync.wire.SyncBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Concurrency pins (SPEC section 4): many threads call {@code send} on one channel at once; every
 * batch's delta materialises on the responder and no frame is torn (the responder sees no
 * protocol error).
 */
@Timeout(300)
public abstract class AbstractConcurrentSendPins extends AbstractPinTest {

    @Test
    @DisplayName("8 concurrent sends each deliver a batch whose delta materialises on the responder")
    void eightConcurrentSends() throws Exception {
        runConcurrentSends(8, 1);
    }

    @Test
    @DisplayName("64 threads x 100 sends each deliver their batch, with backpressure honoured and no torn frame")
    void sixtyFourTimesHundredConcurrentSends() throws Exception {
        runConcurrentSends(64, 100);
    }

    private void runConcurrentSends(int threads, int perThread) throws Exception {
        SyncBackend a = node("a");
        SyncBackend b = node("b");
        connect(a, b);
        PeerId to = b.peerId();
        // One delta per thread, reused for each of its sends under distinct keys (a delta's changes
        // apply to any empty document).
        List<byte[]> deltas = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            deltas.add(AutomergeMessages.deltaCarryingChanges("v", "t" + t));
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        DocKey key = DocKey.of("c" + thread, "d" + i);
                        SyncBatch batch = new SyncBatch(thread * 1_000_000L + i, System.currentTimeMillis(), SyncBatch.DEFAULT_TTL,
                                List.of(Frame.of(key.toString(), MessageType.DELTA_SYNC, deltas.get(thread))));
                        sendWithBackpressure(a, to, batch.toFrame());
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(TckTimeouts.await().toMillis(), TimeUnit.MILLISECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        int expected = threads * perThread;
        await(expected + " deltas materialised on the responder", () -> materialised(b, threads, perThread) == expected,
                () -> "materialised: " + materialised(b, threads, perThread) + ", " + b.metrics().peer(a.peerId()));
        assertEquals(0, b.metrics().protocolErrors(), "torn or malformed frames on the responder");
        // Plus one: the empty SyncBatch that opens A's persistent stream (no reconnect, so exactly one).
        assertEquals(0, a.metrics().reconnects() + b.metrics().reconnects(), "reconnects during the pin");
        assertEquals(expected + 1, b.dispatched(MessageType.SYNC_BATCH), "batches dispatched (the sent ones and the opener)");
    }

    /** Sends, waiting for room when the channel pushes back: the caller never gets an unbounded buffer. */
    static void sendWithBackpressure(SyncBackend from, PeerId to, Frame frame) throws Exception {
        while (true) {
            try {
                get(from.send(to, frame));
                return;
            } catch (ExecutionException | CompletionException e) {
                if (!(e.getCause() instanceof BackpressureException)) {
                    throw e;
                }
                SyncChannel ch = from.channel(to).orElseThrow();
                get(ch.whenWritable());
            }
        }
    }

    private static int materialised(SyncBackend b, int threads, int perThread) {
        int n = 0;
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < perThread; i++) {
                n += text(b, DocKey.of("c" + t, "d" + i), "v").equals(Optional.of("t" + t)) ? 1 : 0;
            }
        }
        return n;
    }
}
