package io.peat.sync.tests;

import static io.peat.sync.tests.Nodes.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peat.sync.DocKey;
import io.peat.sync.SyncBackend;
import io.peat.tck.TckWaits;
import io.peat.transport.inmem.InMemoryNetwork;
import io.peat.transport.inmem.LinkShape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.automerge.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 13: a reconnect sends each byte once. Measured on main before: with a 4 MiB change in
 * flight when the connection was killed, the sender wrote the whole change onto each new stream
 * attempt, up to three more times, including onto a stream the adoption rule then dropped (21.3 MB
 * toward a peer for one 4.26 MB change), and 445 to 1,285 frames per run repeated the previous
 * message for the same key on the same stream byte for byte. Read from the in-memory tap.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReconnectSendsOncePinTest {
    private static final int CHANGE_BYTES = 4 << 20;
    private static final long KILL_AFTER = 1_000_000;

    private final Nodes nodes = new Nodes();

    @AfterEach
    void close() {
        nodes.close();
    }

    @Test
    void aBigChangeKilledTwiceInFlightCrossesOncePerStreamReadToTheEnd() throws Exception {
        SyncBackend a = nodes.node("a");
        SyncBackend b = nodes.node("b");
        nodes.connect(a, b);
        InMemoryNetwork net = nodes.network();
        net.shape(a.peerId(), b.peerId(), LinkShape.rate(16L << 20, 64 << 10)); // 4 MiB takes about 250 ms
        byte[] blob = new byte[CHANGE_BYTES];
        new Random(13).nextBytes(blob); // incompressible
        DocKey key = DocKey.of("big", "blob");
        get(a.change(key, tx -> tx.set(ObjectId.ROOT, "note", "small first")));
        TckWaits.await("b holds the document", () -> Nodes.holds(b, key));

        try (FrameLog wire = new FrameLog(net, a.peerId(), b.peerId())) {
            net.killConnectionsAfterBytes(a.peerId(), b.peerId(), KILL_AFTER);
            get(a.change(key, tx -> tx.set(ObjectId.ROOT, "blob", blob)));
            TckWaits.await("the first kill", () -> a.metrics().reconnects() >= 1, () -> a.metrics().peer(b.peerId()).toString());
            net.killConnectionsAfterBytes(a.peerId(), b.peerId(), KILL_AFTER);
            TckWaits.await("the second kill", () -> a.metrics().reconnects() >= 2, () -> a.metrics().peer(b.peerId()).toString());
            TckWaits.await("b holds the whole change", () -> blobLength(b, key) == CHANGE_BYTES,
                    () -> wire.bytesPerStream() + " " + a.metrics().peer(b.peerId()));
            get(b.read(key, d -> true));

            Map<String, Long> perStream = wire.bytesPerStream();
            List<FrameLog.Seen> whole = wire.all().stream().filter(f -> f.payloadLength() >= CHANGE_BYTES).toList();
            assertEquals(1, whole.size(), "the change crossed whole " + whole.size() + " times; bytes per stream " + perStream);
            String delivered = whole.get(0).stream();
            long total = perStream.values().stream().mapToLong(Long::longValue).sum();
            // Two streams were cut after at most KILL_AFTER bytes each; the third read the change once.
            assertTrue(total < CHANGE_BYTES + 2 * KILL_AFTER + (256 << 10),
                    total + " bytes toward b for one " + CHANGE_BYTES + "-byte change: " + perStream);
            for (Map.Entry<String, Long> e : perStream.entrySet()) {
                assertTrue(e.getValue() < CHANGE_BYTES + (256 << 10), "stream " + e.getKey() + " carried " + e.getValue() + " bytes");
                if (!e.getKey().equals(delivered) && e.getValue() > KILL_AFTER + (64 << 10)) {
                    throw new AssertionError("stream " + e.getKey() + " carried " + e.getValue() + " bytes and was not the one read to"
                            + " the end (" + delivered + "): " + perStream);
                }
            }
            System.out.println("ReconnectSendsOncePinTest: bytes toward b per stream " + perStream + ", " + total + " in all");
            List<String> repeats = consecutiveRepeats(wire.all());
            assertEquals(List.of(), repeats, "byte-identical repeats of the previous message for a key on a stream");
        }
    }

    private static int blobLength(SyncBackend node, DocKey key) {
        try {
            return get(node.read(key, d -> d.get(ObjectId.ROOT, "blob").map(v -> v instanceof org.automerge.AmValue.Bytes bytes
                    ? bytes.getValue().length : -1).orElse(-1))).orElse(-1);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> consecutiveRepeats(List<FrameLog.Seen> frames) {
        List<String> out = new ArrayList<>();
        Map<String, FrameLog.Seen> last = new java.util.HashMap<>();
        for (FrameLog.Seen f : frames) {
            String slot = f.stream() + " " + f.key() + " " + f.type();
            FrameLog.Seen prev = last.put(slot, f);
            if (prev != null && prev.payloadHash() == f.payloadHash() && prev.payloadLength() == f.payloadLength()
                    && !f.key().equals("batch")) {
                out.add(slot + " (" + f.payloadLength() + " bytes)");
            }
        }
        return out;
    }
}
