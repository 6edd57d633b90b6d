package io.peat.sync.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peat.spi.PeerId;
import io.peat.spi.ProtocolViolationException;
import io.peat.sync.DocKey;
import io.peat.sync.InMemoryDocumentStore;
import io.peat.sync.wire.Frame;
import io.peat.sync.wire.MessageType;
import io.peat.sync.wire.TombstoneRecord;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.automerge.AmValue;
import org.automerge.Document;
import org.automerge.ObjectId;
import org.automerge.SyncState;
import org.automerge.Transaction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Automerge side of a node, on its own executor, with a recording outbound path. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DocumentSyncTest {
    private static final PeerId PEER = PeerId.of("peer-d");
    private static final DocKey KEY = DocKey.of("notes", "1");

    private final SyncExecutor executor = new SyncExecutor("doc-sync-test", 64);
    private final InMemoryDocumentStore store = new InMemoryDocumentStore();
    private final List<Frame> sent = new CopyOnWriteArrayList<>();
    private final AtomicBoolean room = new AtomicBoolean(true);
    private final AtomicInteger checks = new AtomicInteger();
    private volatile boolean refuse;
    /** When set, the check is the real one, and {@link #ledgers} counts the ledgers it asked for. */
    private volatile boolean realCheck;
    private final AtomicInteger ledgers = new AtomicInteger();
    private final PayloadCheck check = new PayloadCheck() {
        @Override
        public void syncMessage(byte[] message, Supplier<io.peat.sync.internal.automerge.ActorSeqLedger> receiver) {
            checks.incrementAndGet();
            if (refuse) {
                throw new ProtocolViolationException("refused by the test's check");
            }
            if (realCheck) {
                AutomergePayloadCheck.INSTANCE.syncMessage(message, () -> {
                    ledgers.incrementAndGet();
                    return receiver.get();
                });
            }
        }

        @Override
        public void document(byte[] saved) {
            syncMessage(saved, () -> null);
        }
    };
    private final DocumentSync docs = new DocumentSync(executor, store, check, new DocumentSync.Outbound() {
        @Override
        public boolean hasRoom(PeerId peer) {
            return room.get();
        }

        @Override
        public CompletableFuture<Void> send(PeerId peer, Frame frame) {
            sent.add(frame);
            return CompletableFuture.completedFuture(null);
        }
    }, new RemoteChangeListeners(), io.peat.sync.SyncConfig.defaults(), p -> new io.peat.sync.internal.channel.PeerCounters());

    @AfterEach
    void close() {
        executor.closeAfter(() -> {
            docs.freeStates();
            store.close();
        }, 5000);
    }

    private <T> T on(Supplier<T> task) throws Exception {
        return executor.local(task).get(10, TimeUnit.SECONDS);
    }

    private void run(Runnable task) throws Exception {
        on(() -> {
            task.run();
            return null;
        });
    }

    @Test
    void itsStateIsOnlyForItsOwnThread() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> docs.change(KEY, tx -> { }));
        assertTrue(e.getMessage().contains("peat-sync-doc-sync-test"), e.getMessage());
    }

    @Test
    void aChangeIsOwedToAKnownPeerAndGoesWhenTheQueueHasRoom() throws Exception {
        room.set(false);
        run(() -> docs.peerUp(PEER, false));
        run(() -> docs.change(KEY, tx -> tx.set(ObjectId.ROOT, "title", "hello")));
        assertEquals(List.of(), sent, "no room: nothing generated");

        room.set(true);
        run(() -> docs.onWritable(PEER));

        assertEquals(1, sent.size());
        assertEquals(KEY.toString(), sent.get(0).docKey());
        assertEquals(MessageType.DELTA_SYNC.code(), sent.get(0).typeCode());
    }

    @Test
    void aRefusedPayloadNeverReachesAutomergeAndLeavesNoTrace() throws Exception {
        refuse = true;
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> executor.local(() -> {
                    docs.onDeltaSync(PEER, KEY.toString(), new byte[] {0x42});
                    return null;
                }).get(10, TimeUnit.SECONDS));
        assertInstanceOf(ProtocolViolationException.class, e.getCause());
        assertEquals(1, checks.get());
        assertEquals(List.of(), on(() -> List.copyOf(store.keys())));
        assertEquals(0, on(() -> docs.syncStates(PEER)));
    }

    @Test
    void aMessageThatDoesNotParseLeavesNoDocumentAndNoState() throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> executor.local(() -> {
                    docs.onDeltaSync(PEER, KEY.toString(), new byte[] {7});
                    return null;
                }).get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof RuntimeException, e.getCause().toString());
        assertEquals(List.of(), on(() -> List.copyOf(store.keys())));
        assertEquals(0, on(() -> docs.syncStates(PEER)));
    }

    @Test
    void aTombstonedDocumentIgnoresMessagesWithoutCheckingThem() throws Exception {
        run(() -> docs.onTombstone(PEER, new TombstoneRecord("notes", "1", 1L, 1L, "peer-d", java.util.Optional.empty(), TombstoneRecord.Direction.BIDIRECTIONAL)));
        run(() -> docs.onDeltaSync(PEER, KEY.toString(), new byte[] {7}));
        assertEquals(0, checks.get());
        assertEquals(List.of(), on(() -> List.copyOf(store.keys())));
    }

    @Test
    void theLedgerIsMadeOnlyForAMessageThatCarriesChanges() throws Exception {
        // Making or refreshing a ledger walks every op the document gained: for 10 MiB of text, seconds
        // on the sync thread, though most messages (heads, need, Bloom filters) never consult it.
        realCheck = true;
        run(() -> docs.peerUp(PEER, false));
        run(() -> docs.change(KEY, tx -> tx.set(ObjectId.ROOT, "title", "hello")));
        assertEquals(1, sent.size());
        Document peer = new Document();
        SyncState state = new SyncState();
        try {
            try (Transaction tx = peer.startTransaction()) {
                tx.set(ObjectId.ROOT, "body", "from the peer");
                tx.commit();
            }
            byte[] headsOnly = peer.generateSyncMessage(state).orElseThrow();
            run(() -> docs.onDeltaSync(PEER, KEY.toString(), headsOnly));
            assertEquals(0, ledgers.get(), "a message without changes asked for the ledger");

            for (Frame f : List.copyOf(sent)) {
                peer.receiveSyncMessage(state, f.payload());
            }
            byte[] withChanges = peer.generateSyncMessage(state).orElseThrow();
            run(() -> docs.onDeltaSync(PEER, KEY.toString(), withChanges));
            assertEquals(1, ledgers.get(), "a message with changes is checked against the ledger");
            assertEquals("from the peer", on(() -> store.get(KEY).orElseThrow().get(ObjectId.ROOT, "body")
                    .map(v -> ((AmValue.Str) v).getValue()).orElse(null)));
        } finally {
            state.free();
            peer.free();
        }
    }
}
