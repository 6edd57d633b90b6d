package io.peat.sync.tests;

import static io.peat.sync.tests.Nodes.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peat.sync.DocKey;
import io.peat.sync.PeerMetrics;
import io.peat.sync.SyncBackend;
import io.peat.sync.SyncConfig;
import io.peat.sync.wire.MessageType;
import io.peat.tck.TckWaits;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.automerge.AmValue;
import org.automerge.NewValue;
import org.automerge.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 12's pins, counted from the bytes the in-memory network delivered: a new document crosses in
 * one frame and its next edit in one DeltaSync; a burst of changes to one document goes out as few
 * messages; no message is larger than the peer's cap.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SyncThroughputPinsTest {

    @Test
    void aNewDocumentCrossesInOneFrameAndItsNextEditInOneDeltaSync() throws Exception {
        try (Nodes nodes = new Nodes()) {
            SyncBackend a = nodes.node("fc-a");
            SyncBackend b = nodes.node("fc-b");
            nodes.connect(a, b);
            warmUp(a, b); // the persistent stream opens with the first document (issue 13)
            try (FrameLog ab = new FrameLog(nodes.network(), a.peerId(), b.peerId());
                    FrameLog ba = new FrameLog(nodes.network(), b.peerId(), a.peerId())) {
                DocKey key = DocKey.of("telemetry", "fc-1");
                get(a.change(key, tx -> tx.set(ObjectId.ROOT, "payload", "x".repeat(400))));
                TckWaits.await("b to hold " + key, () -> Nodes.holds(b, key));
                assertEquals(1, ab.of(key.toString(), MessageType.DELTA_SYNC).size(),
                        "frames a->b for the new document: " + ab.all());
                // b answers nothing: prove it by a later frame of b's, which its stream delivers after any answer.
                DocKey marker = DocKey.of("telemetry", "fc-marker");
                get(b.change(marker, tx -> tx.set(ObjectId.ROOT, "m", 1)));
                TckWaits.await("a to hold " + marker, () -> Nodes.holds(a, marker));
                assertEquals(List.of(), ba.of(key.toString(), MessageType.DELTA_SYNC), "b's answers to a's new document");

                get(a.change(key, tx -> tx.set(ObjectId.ROOT, "seq", 2)));
                TckWaits.await("b to see the edit", () -> read(b, key, "seq").isPresent());
                List<FrameLog.Seen> frames = ab.of(key.toString(), MessageType.DELTA_SYNC);
                assertEquals(2, frames.size(), "frames a->b after one edit: " + frames);
                assertTrue(frames.get(1).payloadLength() < 300, "the edit's DeltaSync is small: " + frames.get(1));
            }
        }
    }

    @Test
    void tenThousandChangesToOneDocumentGoAsAFewHundredMessagesAtMost() throws Exception {
        try (Nodes nodes = new Nodes()) {
            SyncBackend a = nodes.node("burst-a");
            SyncBackend b = nodes.node("burst-b");
            nodes.connect(a, b);
            warmUp(a, b);
            DocKey key = DocKey.of("burst", "counter");
            try (FrameLog ab = new FrameLog(nodes.network(), a.peerId(), b.peerId())) {
                get(a.change(key, tx -> tx.set(ObjectId.ROOT, "count", NewValue.counter(0))));
                CompletableFuture<Void> last = null;
                for (int i = 1; i <= 10_000; i++) {
                    int n = i;
                    last = a.change(key, tx -> {
                        tx.increment(ObjectId.ROOT, "count", 1);
                        tx.set(ObjectId.ROOT, "last", n);
                    }).toCompletableFuture();
                }
                get(last);
                TckWaits.awaitEvery(Duration.ofMillis(50), "b to count 10,000", () -> counter(b, key) == 10_000,
                        () -> "b counts " + counter(b, key));
                int messages = ab.of(key.toString(), MessageType.DELTA_SYNC).size();
                assertTrue(messages <= 300, "sync messages a->b for 10,000 changes: " + messages);
            }
        }
    }

    @Test
    void noMessageExceedsThePeersCapAndABigDocumentStillSyncs() throws Exception {
        int cap = 1 << 20;
        SyncConfig config = SyncConfig.defaults().withMaxPayloadBytes(cap);
        try (Nodes nodes = new Nodes()) {
            SyncBackend a = nodes.node("cap-a", config);
            SyncBackend b = nodes.node("cap-b", config);
            DocKey key = DocKey.of("big", "doc");
            Random r = new Random(7);
            CompletableFuture<Void> last = null;
            for (int i = 0; i < 160; i++) { // 10 MiB in 64 KiB changes, written before the peers meet
                byte[] blob = new byte[64 * 1024];
                r.nextBytes(blob);
                int n = i;
                last = a.change(key, tx -> tx.set(ObjectId.ROOT, "blob-" + n, blob)).toCompletableFuture();
            }
            get(last);
            DocKey squeezed = DocKey.of("big", "zeros"); // one 3 MiB change: fits only deflated
            get(a.change(squeezed, tx -> tx.set(ObjectId.ROOT, "zeros", new byte[3 << 20])));
            try (FrameLog ab = new FrameLog(nodes.network(), a.peerId(), b.peerId())) {
                nodes.connect(a, b);
                TckWaits.awaitEvery(Duration.ofMillis(50), "b to hold all 160 blobs and the zeros",
                        () -> keys(b, key) == 160 && Nodes.holds(b, squeezed), () -> "b holds " + keys(b, key) + " blobs");
                int biggest = ab.all().stream().mapToInt(FrameLog.Seen::payloadLength).max().orElse(0);
                assertTrue(biggest <= cap, "largest payload a->b " + biggest + " over the cap " + cap);
                assertTrue(ab.of(key.toString(), MessageType.DELTA_SYNC).size() >= 10, "10 MiB under a 1 MiB cap takes 10 messages or more");
                PeerMetrics m = metrics(a, b);
                assertEquals(0, m.reconnects(), "reconnects");
                assertEquals(0, m.oversizedChanges(), "oversized changes");
            }
        }
    }

    @Test
    void oneChangeOverTheCapEvenDeflatedCrossesInFragmentsUnderTheCap() throws Exception {
        int cap = 1 << 20;
        SyncConfig config = SyncConfig.defaults().withMaxPayloadBytes(cap);
        try (Nodes nodes = new Nodes()) {
            SyncBackend a = nodes.node("frag-a", config);
            SyncBackend b = nodes.node("frag-b", config);
            byte[] noise = new byte[5 << 20];
            new Random(3).nextBytes(noise);
            DocKey big = DocKey.of("frag", "noise");
            get(a.change(big, tx -> tx.set(ObjectId.ROOT, "noise", noise)));
            try (FrameLog ab = new FrameLog(nodes.network(), a.peerId(), b.peerId())) {
                nodes.connect(a, b);
                TckWaits.await("b to hold the 5 MiB change", () -> Nodes.holds(b, big));
                int biggest = ab.all().stream().mapToInt(FrameLog.Seen::payloadLength).max().orElse(0);
                assertTrue(biggest <= cap, "largest payload a->b " + biggest + " over the cap " + cap);
                assertTrue(ab.of(big.toString(), MessageType.SYNC_FRAGMENT).size() >= 5, "fragments: " + ab.all());
                assertEquals(0, metrics(a, b).reconnects() + metrics(b, a).reconnects(), "reconnects");
                assertEquals(0, metrics(b, a).protocolErrors(), "protocol errors at b");
            }
        }
    }

    @Test
    void aChangeOverWhatThePeerMayHoldIsCountedNotSentInALoop() throws Exception {
        int cap = 1 << 20;
        SyncConfig config = SyncConfig.defaults().withMaxPayloadBytes(cap).withMaxPendingBytesPerPeer(2L << 20);
        try (Nodes nodes = new Nodes()) {
            SyncBackend a = nodes.node("over-a", config);
            SyncBackend b = nodes.node("over-b", config);
            nodes.connect(a, b);
            warmUp(a, b);
            byte[] noise = new byte[3 << 20];
            new Random(3).nextBytes(noise);
            DocKey big = DocKey.of("over", "noise");
            DocKey after = DocKey.of("over", "after");
            try (FrameLog ab = new FrameLog(nodes.network(), a.peerId(), b.peerId())) {
                get(a.change(big, tx -> tx.set(ObjectId.ROOT, "noise", noise)));
                get(a.change(after, tx -> tx.set(ObjectId.ROOT, "ok", true)));
                TckWaits.await("b to hold the document written after", () -> Nodes.holds(b, after));
                TckWaits.await("a to count the oversized change", () -> metrics(a, b).oversizedChanges() == 1);
                assertEquals(List.of(), ab.of(big.toString(), MessageType.DELTA_SYNC), "frames of the oversized document");
                assertEquals(List.of(), ab.of(big.toString(), MessageType.SYNC_FRAGMENT), "fragments of the oversized document");
                assertEquals(0, metrics(a, b).reconnects() + metrics(b, a).reconnects(), "reconnects");
            }
        }
    }

    /** One document a to b, so both know each other and the persistent stream is open. */
    private static void warmUp(SyncBackend a, SyncBackend b) throws Exception {
        DocKey warm = DocKey.of("warm", "up");
        get(a.change(warm, tx -> tx.set(ObjectId.ROOT, "w", 1)));
        TckWaits.await("b to hold " + warm, () -> Nodes.holds(b, warm));
        TckWaits.await("a persistent channel a->b", () -> a.hasPersistentSyncChannel(b.peerId()));
    }

    private static Optional<AmValue> read(SyncBackend node, DocKey key, String field) {
        try {
            return get(node.read(key, d -> d.get(ObjectId.ROOT, field))).flatMap(v -> v);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static long counter(SyncBackend node, DocKey key) {
        return read(node, key, "count").map(v -> ((AmValue.Counter) v).getValue()).orElse(-1L);
    }

    private static int keys(SyncBackend node, DocKey key) {
        try {
            return get(node.read(key, d -> d.keys(ObjectId.ROOT).map(k -> k.length).orElse(0))).orElse(0);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static PeerMetrics metrics(SyncBackend node, SyncBackend peer) {
        return node.metrics().peer(peer.peerId());
    }
}
