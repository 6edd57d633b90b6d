package io.peat.sync.tests;

import static io.peat.sync.tests.Nodes.get;
import static io.peat.sync.tests.Nodes.holds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peat.spi.ByteStream;
import io.peat.spi.SyncTransport;
import io.peat.sync.DocKey;
import io.peat.sync.PayloadRejectedException;
import io.peat.sync.SyncBackend;
import io.peat.sync.wire.Frame;
import io.peat.sync.wire.FrameCodec;
import io.peat.sync.wire.FrameDecoder;
import io.peat.sync.wire.MessageType;
import io.peat.tck.AutomergeMessages;
import io.peat.tck.DocumentAccess;
import io.peat.tck.TckWaits;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.automerge.Document;
import org.automerge.ObjectId;
import org.automerge.SyncState;
import org.automerge.Transaction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 10, faults 4 and 5 (SPEC 3.13): a message that does not apply leaves no trace, and every
 * refused payload is counted, named and leaves the stream going.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HostilePayloadsTest {
    private final Nodes nodes = new Nodes();

    @AfterEach
    void close() {
        nodes.close();
    }

    private static byte[] concat(List<Frame> frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        frames.forEach(f -> out.writeBytes(FrameCodec.encodeToArray(f)));
        return out.toByteArray();
    }

    @Test
    void bogusDeltaSyncsCreateNoDocumentAndNothingSpreads() throws Exception {
        SyncBackend a = nodes.node("a");
        SyncTransport bad = nodes.raw("bad");
        ByteStream s = nodes.streamInto(bad, a);
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            frames.add(Frame.of("junk:doc-" + i, MessageType.DELTA_SYNC, new byte[] {(byte) i}));
        }
        get(s.write(ByteBuffer.wrap(concat(frames))));
        TckWaits.await("500 refused payloads counted", () -> a.metrics().protocolErrors() == 500,
                () -> a.metrics().protocolErrors() + " counted, keys " + Nodes.keysOf(a));

        assertEquals(List.of(), get(a.keys()), "no document came into being");

        SyncBackend c = nodes.node("c");
        nodes.connect(c, a);
        DocKey probe = DocKey.of("real", "1");
        DocumentAccess.put(a, probe, "v", "x");
        TckWaits.await("a's real document at c", () -> holds(c, probe));
        assertEquals(List.of(probe), get(c.keys()), "only the real document reached c");
    }

    @Test
    void aHeadsOnlyMessageForAnUnheldDocumentIsAnsweredAndKeepsNothing() throws Exception {
        SyncBackend a = nodes.node("a");
        SyncTransport peer = nodes.raw("peer");
        ByteStream s = nodes.streamInto(peer, a);
        byte[] headsOnly;
        Document d = new Document();
        SyncState st = new SyncState();
        try {
            try (Transaction tx = d.startTransaction()) {
                tx.set(ObjectId.ROOT, "v", "hello");
                tx.commit();
            }
            headsOnly = d.generateSyncMessage(st).orElseThrow();
        } finally {
            st.free();
            d.free();
        }

        get(s.write(ByteBuffer.wrap(FrameCodec.encodeToArray(Frame.of("new:doc", MessageType.DELTA_SYNC, headsOnly)))));

        // The answer (what a needs) comes back on the stream; a keeps no empty document.
        FrameDecoder decoder = new FrameDecoder("a", FrameCodec.DEFAULT_MAX_PAYLOAD);
        List<Frame> back = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (back.stream().noneMatch(f -> f.docKey().equals("new:doc")) && System.nanoTime() < deadline) {
            Optional<ByteBuffer> chunk = s.read().toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertTrue(chunk.isPresent(), "a ended the stream instead of answering");
            decoder.feed(chunk.get(), back::add);
        }
        assertTrue(back.stream().anyMatch(f -> f.docKey().equals("new:doc") && f.typeCode() == MessageType.DELTA_SYNC.code()),
                "a answered the heads: " + back);
        assertEquals(List.of(), get(a.keys()));
        assertEquals(0, a.metrics().protocolErrors());

        // A message that carries changes does create the document.
        get(s.write(ByteBuffer.wrap(FrameCodec.encodeToArray(
                Frame.of("new:doc", MessageType.DELTA_SYNC, AutomergeMessages.deltaCarryingChanges("v", "hello"))))));
        TckWaits.await("the document, once its changes came", () -> DocumentAccess.text(a, DocKey.of("new", "doc"), "v")
                .equals(Optional.of("hello")));
    }

    @Test
    void aSnapshotOfAnEmptyDocumentCreatesNothing() throws Exception {
        SyncBackend a = nodes.node("a");
        ByteStream s = nodes.streamInto(nodes.raw("peer"), a);
        byte[] empty;
        Document d = new Document();
        try {
            empty = d.save();
        } finally {
            d.free();
        }
        get(s.write(ByteBuffer.wrap(concat(List.of(Frame.of("empty:doc", MessageType.STATE_SNAPSHOT, empty),
                Frame.of("full:doc", MessageType.STATE_SNAPSHOT, AutomergeMessages.snapshot("v", "x")))))));
        TckWaits.await("the full snapshot applied", () -> holds(a, DocKey.of("full", "doc")));
        assertEquals(List.of(DocKey.of("full", "doc")), get(a.keys()));
    }

    @Test
    void refusedPayloadsAreCountedNamedAndTheStreamGoesOn() throws Exception {
        SyncBackend a = nodes.node("a");
        SyncTransport bad = nodes.raw("bad");
        ByteStream s = nodes.streamInto(bad, a);
        byte[] hugeBatch = ByteBuffer.allocate(21).putLong(1).putLong(2).put((byte) 5).putInt(Integer.MIN_VALUE).array();
        List<Frame> frames = List.of(
                Frame.of("batch", MessageType.SYNC_BATCH, hugeBatch),
                Frame.of("tombstones:c:d", MessageType.TOMBSTONE, new byte[] {0, 9, 1}),
                Frame.of("_negentropy", MessageType.NEGENTROPY_INIT, new byte[] {0x62, 0}),
                Frame.of("ok:1", MessageType.DELTA_SYNC, AutomergeMessages.deltaCarryingChanges("v", "fine")));

        get(s.write(ByteBuffer.wrap(concat(frames))));

        TckWaits.await("the good frame after three bad ones applied", () -> holds(a, DocKey.of("ok", "1")));
        assertEquals(3, a.metrics().protocolErrors());
        PayloadRejectedException last = assertInstanceOf(PayloadRejectedException.class,
                a.lastProtocolViolation(bad.localPeerId()).orElseThrow());
        assertEquals(bad.localPeerId(), last.peer());
        assertEquals("_negentropy", last.docKey());
        assertEquals(MessageType.NEGENTROPY_INIT.code(), last.typeCode());
        assertTrue(last.getMessage().contains(bad.localPeerId().value()) && last.getMessage().contains("0x62"), last.getMessage());
        assertTrue(a.channel(bad.localPeerId()).isPresent(), "the stream was not dropped");
    }
}
