package io.peat.tck;

import static io.peat.tck.DocumentAccess.countPresent;
import static io.peat.tck.DocumentAccess.put;
import static io.peat.tck.DocumentAccess.text;
import static io.peat.tck.TckWaits.await;
import static io.peat.tck.TckWaits.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peat.spi.PeerId;
import io.peat.sync.BackpressureException;
import io.peat.sync.DocKey;
import io.peat.sync.SyncBackend;
import io.peat.sync.ChannelState;
import io.peat.sync.wire.Frame;
import io.peat.sync.wire.MessageType;
import io.peat.sync.wire.SyncBatch;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * S3 channel (CONTRACT.md): two real backends over the transport under test sync both ways on
 * their one persistent channel, never on the fallback path, and many concurrent senders share it
 * without a torn frame.
 */
public interface ChannelClauses extends TckSupport {

    @Test
    @DisplayName("S3.1 Two backends sync both ways on the persistent path: hasPersistentSyncChannel() on both, zero "
            + "fallback sends, even after a full garbage collection (the backend owns its channel manager)")
    default void required_S3_1_persistentPathIsWiredAndOwned() throws Exception {
        SyncBackend a = node("a");
        SyncBackend b = node("b");
        // Upstream's bug: the only strong reference to the channel manager was a local that went out
        // of scope. Collect garbage now, so a manager nobody owns is gone before any channel exists.
        forceGarbageCollection();
        connect(a, b);
        DocKey fromA = DocKey.of("docs", "from-a");
        DocKey fromB = DocKey.of("docs", "from-b");
        put(a, fromA, "v", "a");
        put(b, fromB, "v", "b");
        await("A's document on B and B's on A",
                () -> text(b, fromA, "v").equals(Optional.of("a")) && text(a, fromB, "v").equals(Optional.of("b")));

        assertTrue(a.hasPersistentSyncChannel(), "A has no live persistent channel (is the channel manager owned?)");
        assertTrue(b.hasPersistentSyncChannel(), "B has no live persistent channel (is the channel manager owned?)");
        assertTrue(a.hasPersistentSyncChannel(b.peerId()));
        assertTrue(b.hasPersistentSyncChannel(a.peerId()));
        assertEquals(0, a.metrics().fallbackSends(), "A sent over the per-message path in steady state");
        assertEquals(0, b.metrics().fallbackSends(), "B sent over the per-message path in steady state");
    }

    @Test
    @DisplayName("S3.2 two backends converge both ways with 100 documents on each side")
    default void required_S3_2_hundredDocumentsEachWayConverge() throws Exception {
        SyncBackend a = node("a");
        SyncBackend b = node("b");
        for (int i = 0; i < 100; i++) {
            put(a, DocKey.of("a-docs", "d" + i), "n", "a" + i);
            put(b, DocKey.of("b-docs", "d" + i), "n", "b" + i);
        }
        connect(a, b);
        await("200 documents on both nodes",
                () -> countPresent(b, "a-docs", 100, "n") + countPresent(a, "b-docs", 100, "n") == 200,
                () -> "B holds " + countPresent(b, "a-docs", 100, "n") + " of A's, A holds " + countPresent(a, "b-docs", 100, "n") + " of B's");
        for (int i = 0; i < 100; i++) {
            assertEquals(Optional.of("a" + i), text(b, DocKey.of("a-docs", "d" + i), "n"));
            assertEquals(Optional.of("b" + i), text(a, DocKey.of("b-docs", "d" + i), "n"));
        }
        assertEquals(ChannelState.CONNECTED, a.channel(b.peerId()).orElseThrow().state());
        assertEquals(ChannelState.CONNECTED, b.channel(a.peerId()).orElseThrow().state());
        assertEquals(0, a.metrics().fallbackSends() + b.metrics().fallbackSends(), "fallback sends in steady state");
        assertEquals(0, a.metrics().protocolErrors() + b.metrics().protocolErrors());
    }

    @RepeatedTest(3)
    @DisplayName("S3.3 both nodes dial each other at once: they settle on ONE stream that both ends agree on, converge, and"
            + " send nothing over the fallback path once settled")
    default void required_S3_3_simultaneousDialSettlesOnOneStream() throws Exception {
        SyncBackend a = node("a");
        SyncBackend b = node("b");
        for (int i = 0; i < 20; i++) {
            put(a, DocKey.of("a-docs", "d" + i), "n", "a" + i);
            put(b, DocKey.of("b-docs", "d" + i), "n", "b" + i);
        }
        CompletableFuture<Void> ab = a.connect(address(b.transport()), b.peerId()).toCompletableFuture();
        CompletableFuture<Void> ba = b.connect(address(a.transport()), a.peerId()).toCompletableFuture();
        get(CompletableFuture.allOf(ab, ba));
        await("40 documents on both nodes", () -> countPresent(b, "a-docs", 20, "n") + countPresent(a, "b-docs", 20, "n") == 40,
                () -> "B holds " + countPresent(b, "a-docs", 20, "n") + " of A's, A holds " + countPresent(a, "b-docs", 20, "n")
                        + " of B's; A: " + a.channel(b.peerId()) + " on " + opener(a, b) + ", " + a.metrics().peer(b.peerId())
                        + "; B: " + b.channel(a.peerId()) + " on " + opener(b, a) + ", " + b.metrics().peer(a.peerId()));
        // One stream: both ends name the same opener (when both opened one, the lower id's won).
        await("both ends of the channel on the same stream", () -> opener(a, b).isPresent() && opener(a, b).equals(opener(b, a)),
                () -> "A: " + a.channel(b.peerId()) + " on " + opener(a, b) + ", B: " + b.channel(a.peerId()) + " on " + opener(b, a));

        long fallbackBefore = a.metrics().fallbackSends() + b.metrics().fallbackSends();
        Optional<PeerId> settled = opener(a, b);
        DocKey laterA = DocKey.of("docs", "later-a");
        DocKey laterB = DocKey.of("docs", "later-b");
        put(a, laterA, "n", "x");
        put(b, laterB, "n", "y");
        await("later documents both ways", () -> text(b, laterA, "n").isPresent() && text(a, laterB, "n").isPresent());
        assertEquals(fallbackBefore, a.metrics().fallbackSends() + b.metrics().fallbackSends(), "fallback sends once settled");
        assertEquals(settled, opener(a, b), "A switched streams after settling");
        assertEquals(settled, opener(b, a), "B switched streams after settling");
    }

    @Test
    @DisplayName("S3.4 8 concurrent send calls each deliver a batch whose delta materialises on the responder")
    default void required_S3_4_eightConcurrentSends() throws Exception {
        runConcurrentSends(8, 1);
    }

    @Test
    @DisplayName("S3.5 64 threads x 100 send calls each deliver their batch, with backpressure honoured and no torn frame")
    default void required_S3_5_sixtyFourTimesHundredConcurrentSends() throws Exception {
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
        assertEquals(0, a.metrics().reconnects() + b.metrics().reconnects(), "reconnects during the clause");
        assertEquals(expected + 1, b.dispatched(MessageType.SYNC_BATCH), "batches dispatched (the sent ones and the opener)");
    }

    /**
     * Sends, waiting for room when the channel pushes back: the caller never gets an unbounded buffer.
     *
     * @param from the sending node
     * @param to the peer
     * @param frame the frame
     */
    static void sendWithBackpressure(SyncBackend from, PeerId to, Frame frame) throws Exception {
        while (true) {
            try {
                get(from.send(to, frame));
                return;
            } catch (ExecutionException | CompletionException e) {
                if (!(e.getCause() instanceof BackpressureException)) {
                    throw e;
                }
                get(from.channel(to).orElseThrow().whenWritable());
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

    private static Optional<PeerId> opener(SyncBackend self, SyncBackend other) {
        return self.channel(other.peerId()).flatMap(c -> c.currentStreamOpener(self.peerId()));
    }

    /** Runs the collector until a canary object is collected (bounded), so weakly held objects are gone. */
    static void forceGarbageCollection() {
        Object canary = new Object();
        WeakReference<Object> ref = new WeakReference<>(canary);
        canary = null;
        assertNull(canary);
        await("a full garbage collection", () -> {
            System.gc();
            return ref.get() == null;
        });
    }
}
