package io.peat.sync.internal;

import io.peat.spi.PeatException;
import io.peat.spi.PeerId;
import io.peat.sync.DocKey;
import io.peat.sync.DocumentStore;
import io.peat.sync.RemoteChange;
import io.peat.sync.SyncConfig;
import io.peat.sync.internal.automerge.ActorSeqLedger;
import io.peat.sync.internal.automerge.OversizedChangeException;
import io.peat.sync.internal.automerge.SyncMessageLayout;
import io.peat.sync.internal.channel.PeerCounters;
import io.peat.sync.wire.Frame;
import io.peat.sync.wire.MessageType;
import io.peat.sync.wire.SyncFragment;
import io.peat.sync.wire.TombstoneRecord;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import org.automerge.ChangeHash;
import org.automerge.Document;
import org.automerge.SyncState;
import org.automerge.Transaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Automerge side of a node: the documents, one {@link SyncState} per (peer, document), and
 * which (peer, document) pairs owe the peer a sync message. It applies what the dispatch table
 * hands it and generates the answers, pulled by room in each peer's send queue.
 *
 * <p><b>What is sent, and when.</b> A change only marks its document owed to each peer. A (peer,
 * document) sent to less than {@code SyncConfig.coalesceWindow} ago waits while the application
 * still has calls queued on the sync thread, and in any case until {@value #AMORTIZE} times the cost
 * of its last message has passed; when the application's queue empties (the executor's
 * {@code onLocalDrained} hook) or a timer fires, held documents go. A message whose changes
 * outweigh the saved document carries the saved document; a received saved document for a held
 * document is loaded, and the held one merged into it. A document created here is first-contacted
 * ({@link FirstContact}). Every message is cut to the peer's cap ({@link SyncMessageLayout#split},
 * then {@link SyncFragment}s for one change over it) and its parts wait in a per-peer backlog that
 * drains as the send queue has room.
 *
 * <p><b>Threads.</b> Every method runs on the node's {@link SyncExecutor} thread, which owns all of
 * this class's state (and the store's); methods assert it. Nothing here blocks.
 *
 * <p><b>Untrusted input.</b> A payload is checked by the {@link PayloadCheck} before it reaches
 * Automerge's native code; one that fails throws and leaves no trace: a sync message for a document
 * this node does not hold creates the document only when the message carried changes that applied
 * (SPEC 3.13).
 */
public final class DocumentSync implements FrameDispatcher.Handler {
    private static final Logger LOG = LoggerFactory.getLogger(DocumentSync.class);

    /** Where generated messages go. Called on the sync thread; must not block. */
    public interface Outbound {
        /**
         * @param peer a peer
         * @return false when the peer's persistent queue is full: stop generating and wait for
         *     {@link DocumentSync#onWritable}
         */
        boolean hasRoom(PeerId peer);

        /**
         * @param peer the peer
         * @param frame the frame
         * @return completes when queued (or, on the fallback path, written); exceptionally when refused
         */
        CompletableFuture<Void> send(PeerId peer, Frame frame);
    }

    /** A message carrying more change bytes than this is compared with the saved document. */
    static final int SAVE_COMPARE_MIN_BYTES = 4096;
    /**
     * A document's messages to one peer are at least this many times the cost of making the last one
     * apart, so making messages for a big, busy document takes at most about a tenth of the thread.
     */
    static final long AMORTIZE = 10;

    private final SyncExecutor executor;
    private final DocumentStore store;
    private final PayloadCheck check;
    private final Outbound outbound;
    private final RemoteChangeListeners arrivals;
    private final Function<PeerId, PeerCounters> counters;
    private final long coalesceNanos;
    private final int maxPayload;
    private final long maxMessage;

    // Owned by the executor thread.
    private final Map<PeerId, Map<DocKey, PeerDoc>> states = new HashMap<>();
    /** Dirty keys held back while the node is busy (see SyncConfig.coalesceWindow). */
    private final Map<PeerId, LinkedHashSet<DocKey>> heldBack = new HashMap<>();
    /** Size of each document's last save(), to tell when a saved document is the smaller message. */
    private final Map<DocKey, Integer> savedBytes = new HashMap<>();
    /** How long the last message for each document took to make (generate, save, split). */
    private final Map<DocKey, Long> generateNanos = new HashMap<>();
    /** Frames generated for a peer and not yet taken by its send queue, in order. */
    private final Map<PeerId, ArrayDeque<Frame>> backlog = new HashMap<>();
    private long timerDueNanos;
    private boolean timerSet;
    /** What the payload check must know of each held document, kept current incrementally. */
    private final Map<DocKey, ActorSeqLedger> ledgers = new HashMap<>();
    private final Map<PeerId, LinkedHashSet<DocKey>> dirty = new HashMap<>();
    private final Set<PeerId> peers = new HashSet<>();
    private final Set<PeerId> waitingForRoom = new HashSet<>();

    /**
     * @param executor the thread that owns this state
     * @param store the documents, used on that thread only
     * @param check checks every payload from the network before Automerge sees it
     * @param outbound where generated messages go
     * @param arrivals told of every peer's change applied here
     * @param config the coalescing window and the payload cap (taken as the peer's cap too)
     * @param counters per-peer counters
     */
    public DocumentSync(SyncExecutor executor, DocumentStore store, PayloadCheck check, Outbound outbound,
            RemoteChangeListeners arrivals, SyncConfig config, Function<PeerId, PeerCounters> counters) {
        this.executor = executor;
        this.store = store;
        this.check = check;
        this.outbound = outbound;
        this.arrivals = arrivals;
        this.counters = counters;
        this.coalesceNanos = config.coalesceWindow().toNanos();
        this.maxPayload = config.maxPayloadBytes();
        this.maxMessage = config.maxPendingBytesPerPeer() - 65_542L; // what the peer may join from fragments
        SyncStateSkipsLibraryLoad.ensureLoaded();
        executor.onLocalDrained(this::releaseHeld);
    }

    /** @return the documents; only for use on the sync thread */
    public DocumentStore store() {
        executor.assertOnThread();
        return store;
    }

    // ---- local operations ----

    /**
     * Applies a local edit (creating the document if needed) and marks it owed to every peer.
     *
     * @param key the document
     * @param edit run inside one transaction
     * @throws PeatException when the document was deleted
     */
    public void change(DocKey key, Consumer<Transaction> edit) {
        executor.assertOnThread();
        if (store.tombstone(key).isPresent()) {
            throw new PeatException("document " + key + " was deleted; its tombstone keeps it from coming back");
        }
        Optional<Document> held = store.get(key);
        Document doc = held.orElseGet(Document::new);
        try (Transaction tx = doc.startTransaction()) {
            edit.accept(tx);
            tx.commit();
        } catch (RuntimeException e) {
            if (held.isEmpty()) {
                doc.free();
            }
            throw e;
        }
        if (held.isEmpty()) {
            store.put(key, doc);
            for (PeerId p : peers) {
                firstContact(p, key, doc);
            }
        }
        markDirtyForAll(key, null);
    }

    /** Tells the (peer, key) sync state that the peer holds nothing, so the first message carries the document. */
    private void firstContact(PeerId peer, DocKey key, Document doc) {
        forget(peer, key);
        PeerDoc pd = peerDoc(peer, key);
        doc.receiveSyncMessage(pd.state, FirstContact.peerHoldsNothing());
        pd.firstContact = true;
    }

    /**
     * A peer became reachable (connection or channel up): it is owed every document.
     *
     * @param peer the peer
     * @param replacesStream true when its stream was replaced: what was written on the old one may
     *     be lost, so its sync states start over
     */
    public void peerUp(PeerId peer, boolean replacesStream) {
        executor.assertOnThread();
        if (replacesStream) {
            resetStates(peer);
        }
        if (peers.add(peer) || replacesStream) {
            markAllDirty(peer);
        }
        pump(peer);
    }

    /**
     * Frames arrived from a peer: make sure it is known before they are dispatched.
     *
     * @param peer the sender
     */
    public void peerSpoke(PeerId peer) {
        executor.assertOnThread();
        if (peers.add(peer)) {
            markAllDirty(peer);
        }
    }

    /**
     * The peer closed its node or departed: nothing more is made for it, and everything held for it
     * (sync states, owed and held-back documents, the backlog) is released. If it comes back it is
     * owed every document again, from fresh sync states.
     *
     * @param peer the peer
     */
    public void releasePeer(PeerId peer) {
        executor.assertOnThread();
        peers.remove(peer);
        resetStates(peer);
        dirty.remove(peer);
        heldBack.remove(peer);
        waitingForRoom.remove(peer);
    }

    /** @return per-peer entries held here, all maps together (for the state-size pin); sync thread */
    public int peerEntries() {
        executor.assertOnThread();
        return peers.size() + states.size() + dirty.size() + heldBack.size() + backlog.size() + waitingForRoom.size();
    }

    /** @param peer its queue has room again */
    public void onWritable(PeerId peer) {
        executor.assertOnThread();
        if (waitingForRoom.remove(peer)) {
            pump(peer);
        }
    }

    /** Generates what every peer is owed, as far as their queues have room. */
    public void pumpAll() {
        executor.assertOnThread();
        for (PeerId p : List.copyOf(dirty.keySet())) {
            pump(p);
        }
    }

    /** Frees every sync state (the store is closed by its owner). */
    public void freeStates() {
        executor.assertOnThread();
        states.values().forEach(m -> m.values().forEach(PeerDoc::free));
        states.clear();
    }

    /**
     * @param peer a peer
     * @return how many sync states are held for it (for tests)
     */
    public int syncStates(PeerId peer) {
        executor.assertOnThread();
        Map<DocKey, PeerDoc> m = states.get(peer);
        return m == null ? 0 : m.size();
    }

    // ---- FrameDispatcher.Handler ----

    @Override
    public void onDeltaSync(PeerId from, String docKey, byte[] message) {
        executor.assertOnThread();
        DocKey key = DocKey.parse(docKey);
        if (store.tombstone(key).isPresent()) {
            return;
        }
        Optional<Document> held = store.get(key);
        if (held.isPresent()) {
            Document heldDoc = held.get();
            check.syncMessage(message, () -> ledger(key, heldDoc));
            Document doc = heldDoc;
            SyncState state = state(from, key);
            ChangeHash[] before = doc.getHeads();
            SyncMessageLayout layout = SyncMessageLayout.parse(message);
            boolean loaded = layout.carriesDocument();
            try {
                if (loaded) {
                    doc = loadInstead(key, doc, layout);
                    doc.receiveSyncMessage(state, layout.withEntries(List.of()));
                } else {
                    doc.receiveSyncMessage(state, message);
                }
            } catch (RuntimeException e) {
                forget(from, key); // the state may have taken part of it in: start over with this peer
                throw e;
            }
            if (needsReply(message, doc)) {
                if (loaded && Arrays.equals(layout.headsField(), SyncMessageLayout.headsField(doc.getHeads()))) {
                    // Applied as a load, the state saw a message with no changes and heads equal to ours, and
                    // Automerge would not answer it; the sender still needs to learn what this node holds.
                    outbound.send(from, Frame.of(key.toString(), MessageType.DELTA_SYNC, FirstContact.delivered(layout.headsField())));
                } else {
                    dirty(from).add(key);
                }
            }
            if (!Arrays.equals(before, doc.getHeads())) {
                arrived(key, from, false);
                markDirtyForAll(key, from);
            }
            return;
        }
        // Not held: the document comes into being only if the message carried changes that applied.
        Document doc = new Document();
        SyncState state;
        try {
            check.syncMessage(message, () -> ActorSeqLedger.of(doc));
            state = state(from, key);
            doc.receiveSyncMessage(state, message);
        } catch (RuntimeException e) {
            doc.free();
            forget(from, key);
            throw e;
        }
        if (doc.getHeads().length > 0) {
            ledgers.remove(key);
            store.put(key, doc);
            arrived(key, from, true);
            if (needsReply(message, doc)) {
                dirty(from).add(key);
            }
            markDirtyForAll(key, from);
            return;
        }
        // Nothing applied (the peer announced its heads): answer from the empty document, so the peer
        // sends its changes, and keep nothing. Its next message starts from a fresh state, as this one did.
        Optional<byte[]> reply;
        try {
            reply = doc.generateSyncMessage(state);
        } finally {
            doc.free();
            forget(from, key);
        }
        reply.ifPresent(r -> outbound.send(from, Frame.of(key.toString(), MessageType.DELTA_SYNC, r)));
    }

    @Override
    public void onStateSnapshot(PeerId from, String docKey, byte[] saved) {
        executor.assertOnThread();
        DocKey key = DocKey.parse(docKey);
        if (store.tombstone(key).isPresent()) {
            return;
        }
        check.document(saved);
        Document loaded = Document.load(saved);
        Optional<Document> held = store.get(key);
        if (held.isPresent()) {
            ChangeHash[] before = held.get().getHeads();
            try {
                held.get().merge(loaded);
            } finally {
                loaded.free();
            }
            if (!Arrays.equals(before, held.get().getHeads())) {
                arrived(key, from, false);
                markDirtyForAll(key, from);
            }
        } else if (loaded.getHeads().length > 0) {
            ledgers.remove(key);
            store.put(key, loaded);
            arrived(key, from, true);
            markDirtyForAll(key, from);
        } else {
            loaded.free(); // an empty document is no document
            return;
        }
        dirty(from).add(key);
    }

    @Override
    public void onTombstone(PeerId from, TombstoneRecord tombstone) {
        executor.assertOnThread();
        DocKey key = DocKey.of(tombstone.collection(), tombstone.docId());
        if (store.putTombstone(tombstone)) {
            ledgers.remove(key);
            for (Map<DocKey, PeerDoc> perPeer : states.values()) {
                PeerDoc s = perPeer.remove(key);
                if (s != null) {
                    s.free();
                }
            }
            dirty.values().forEach(d -> d.remove(key));
            heldBack.values().forEach(d -> d.remove(key));
            savedBytes.remove(key);
            generateNanos.remove(key);
        }
    }

    @Override
    public void onNegentropyInit(PeerId from, byte[] message) {
        LOG.debug("negentropy init from {} ({} bytes): reconciliation is not implemented yet", from, message.length);
    }

    @Override
    public void onNegentropyResponse(PeerId from, byte[] message) {
        LOG.debug("negentropy response from {} ({} bytes): reconciliation is not implemented yet", from, message.length);
    }

    // ---- the pump ----

    private void pump(PeerId peer) {
        LinkedHashSet<DocKey> todo = dirty.get(peer);
        boolean backlogged = backlog.containsKey(peer) && !backlog.get(peer).isEmpty();
        if ((todo == null || todo.isEmpty()) && !backlogged || !peers.contains(peer)) {
            return;
        }
        if (todo == null) {
            todo = dirty(peer);
        }
        if (!drainBacklog(peer)) {
            return;
        }
        boolean busy = executor.localDepth() > 0;
        long now = System.nanoTime();
        while (!todo.isEmpty()) {
            if (!outbound.hasRoom(peer)) {
                waitingForRoom.add(peer);
                return;
            }
            DocKey key = todo.iterator().next();
            todo.remove(key);
            Optional<Document> doc = store.get(key);
            if (doc.isEmpty()) {
                continue;
            }
            PeerDoc pd = peerDoc(peer, key);
            long gap = Math.max(busy ? coalesceNanos : 0, AMORTIZE * generateNanos.getOrDefault(key, 0L));
            if (pd.lastSentNanos != 0 && now - pd.lastSentNanos < gap) {
                // Let this document's changes gather into one message: the application is still writing,
                // or the last message for it cost so much that sending more often would eat the thread.
                heldBack.computeIfAbsent(peer, p -> new LinkedHashSet<>()).add(key);
                armTimer(pd.lastSentNanos + gap);
                continue;
            }
            long t0 = System.nanoTime();
            boolean sent = generate(peer, key, doc.get(), pd, now);
            generateNanos.put(key, System.nanoTime() - t0);
            if (!sent) {
                return;
            }
        }
    }

    /**
     * Generates and queues what (peer, key) is owed, reshaped to fit the peer's cap.
     *
     * @return false when a send was refused and the pump must wait for room
     */
    private boolean generate(PeerId peer, DocKey key, Document doc, PeerDoc pd, long now) {
        Optional<byte[]> generated = doc.generateSyncMessage(pd.state);
        if (generated.isEmpty()) {
            return true;
        }
        SyncMessageLayout layout = SyncMessageLayout.parse(generated.get());
        layout = smallerAsSavedDocument(key, doc, layout);
        boolean first = pd.firstContact;
        if (first) {
            pd.firstContact = false;
            layout = SyncMessageLayout.parse(layout.withCapability(FirstContact.CAPABILITY_ASSUMED_DELIVERED));
        }
        List<byte[]> parts;
        try {
            parts = layout.split(maxPayload, () -> doc.encodeChangesSince(new ChangeHash[0]));
            for (byte[] part : parts) {
                if (part.length > maxMessage) {
                    throw new OversizedChangeException("one change of " + part.length + " bytes is over the " + maxMessage
                            + " bytes a peer may hold pending (SyncConfig.maxPendingBytesPerPeer); raise it on both peers"
                            + " or make smaller changes", part.length, maxMessage);
                }
            }
        } catch (OversizedChangeException e) {
            // The sender's problem, not the peer's: count it, say so, and do not loop. The state believes
            // it sent the changes, so they are not generated again for this peer until its state resets.
            PeerCounters c = counters.apply(peer);
            if (c.oversizedChanges.getAndIncrement() == 0) {
                LOG.error("document {} cannot be sent to {}: {}", key, peer, e.getMessage());
            }
            return true;
        }
        pd.lastSentNanos = now;
        if (first) {
            doc.receiveSyncMessage(pd.state, FirstContact.delivered(layout.headsField()));
        }
        ArrayDeque<Frame> queue = backlog.computeIfAbsent(peer, p -> new ArrayDeque<>());
        for (byte[] part : parts) {
            Frame f = Frame.of(key.toString(), MessageType.DELTA_SYNC, part);
            if (part.length > maxPayload) {
                queue.addAll(SyncFragment.split(f, maxPayload)); // one change over the cap: in pieces, in order
            } else {
                queue.add(f);
            }
        }
        return drainBacklog(peer);
    }

    /**
     * Queues the peer's generated frames, in order, as far as its send queue takes them; the rest
     * wait for room ({@link #onWritable}). A message cut into parts is generated once and queued
     * part by part, so a message larger than the send queue still goes.
     *
     * @return false when frames are still waiting
     */
    private boolean drainBacklog(PeerId peer) {
        ArrayDeque<Frame> queue = backlog.get(peer);
        while (queue != null && !queue.isEmpty()) {
            Frame f = queue.peekFirst();
            CompletableFuture<Void> sent = outbound.send(peer, f);
            if (sent.isCompletedExceptionally()) {
                waitingForRoom.add(peer);
                return false;
            }
            queue.pollFirst();
            if (!sent.isDone()) {
                DocKey key = DocKey.parse(f.docKey());
                sent.whenComplete((v, e) -> {
                    if (e != null) {
                        // On the lane that never refuses: losing this would leave a state that believes it sent.
                        executor.inbound(() -> {
                            forget(peer, key);
                            dirty(peer).add(key);
                            return null;
                        });
                    }
                });
            }
        }
        return true;
    }

    /**
     * A message whose changes take more bytes than the whole document saved (a burst of small
     * changes: each change chunk repeats its 32-byte dependency hash, the saved form does not) carries
     * the saved document instead; the receiver loads what it lacks from it. save() runs only when the
     * changes outweigh the document's last saved size, so its cost is paid for by the bytes it saves.
     */
    private SyncMessageLayout smallerAsSavedDocument(DocKey key, Document doc, SyncMessageLayout layout) {
        long changeBytes = layout.changeBytes();
        if (changeBytes < SAVE_COMPARE_MIN_BYTES || layout.carriesDocument()
                || changeBytes <= savedBytes.getOrDefault(key, 0)) {
            return layout;
        }
        byte[] saved = doc.save();
        savedBytes.put(key, saved.length);
        return saved.length < changeBytes ? SyncMessageLayout.parse(layout.withEntries(List.of(saved))) : layout;
    }

    /**
     * A whole saved document for a document held here: loading it and merging what is held into it
     * costs one load, where applying it to the held document would rebuild every change it holds
     * (automerge 0.5.7's load_incremental), and then apply them. The loaded document replaces the
     * held one in the store (which frees the old one); sync states hold only hashes, so they stay valid.
     */
    private Document loadInstead(DocKey key, Document held, SyncMessageLayout layout) {
        Document loaded = Document.load(layout.entry(0));
        try {
            loaded.merge(held);
        } catch (RuntimeException e) {
            loaded.free();
            throw e;
        }
        store.put(key, loaded);
        return loaded;
    }

    /**
     * @return false when the message told this node it may stay silent: the sender assumed delivery
     *     (first contact) and this node now holds exactly the sender's heads
     */
    private static boolean needsReply(byte[] message, Document doc) {
        SyncMessageLayout layout = SyncMessageLayout.parse(message);
        if (!layout.hasCapability(FirstContact.CAPABILITY_ASSUMED_DELIVERED)) {
            return true;
        }
        return !Arrays.equals(layout.headsField(), SyncMessageLayout.headsField(doc.getHeads()));
    }

    /** The application stopped calling: every held document goes now. */
    private void releaseHeld() {
        if (heldBack.isEmpty()) {
            return;
        }
        for (Map.Entry<PeerId, LinkedHashSet<DocKey>> e : heldBack.entrySet()) {
            dirty(e.getKey()).addAll(e.getValue());
        }
        heldBack.clear();
        pumpAll();
    }

    private void armTimer(long dueNanos) {
        if (timerSet && timerDueNanos - dueNanos <= 0) {
            return;
        }
        timerSet = true;
        timerDueNanos = dueNanos;
        executor.schedule(dueNanos - System.nanoTime(), () -> {
            if (timerSet && timerDueNanos == dueNanos) {
                timerSet = false;
                releaseHeld();
            }
        });
    }

    private void arrived(DocKey key, PeerId from, boolean created) {
        if (!arrivals.isEmpty()) {
            arrivals.publish(new RemoteChange(key, from, created, System.nanoTime(), 1));
        }
    }

    private void markAllDirty(PeerId peer) {
        dirty(peer).addAll(store.keys());
    }

    private void markDirtyForAll(DocKey key, PeerId except) {
        for (PeerId p : peers) {
            if (!p.equals(except)) {
                dirty(p).add(key);
                pump(p);
            }
        }
    }

    /** The document's ledger, brought up to date with every change it gained since the last check. */
    private ActorSeqLedger ledger(DocKey key, Document doc) {
        ActorSeqLedger l = ledgers.get(key);
        if (l == null) {
            l = ActorSeqLedger.of(doc);
            ledgers.put(key, l);
        } else {
            l.refresh(doc);
        }
        return l;
    }

    private LinkedHashSet<DocKey> dirty(PeerId peer) {
        return dirty.computeIfAbsent(peer, p -> new LinkedHashSet<>());
    }

    private SyncState state(PeerId peer, DocKey key) {
        return peerDoc(peer, key).state;
    }

    private PeerDoc peerDoc(PeerId peer, DocKey key) {
        return states.computeIfAbsent(peer, p -> new HashMap<>()).computeIfAbsent(key, k -> new PeerDoc(new SyncState()));
    }

    private void forget(PeerId peer, DocKey key) {
        Map<DocKey, PeerDoc> m = states.get(peer);
        PeerDoc s = m == null ? null : m.remove(key);
        if (s != null) {
            s.free();
        }
    }

    private void resetStates(PeerId peer) {
        backlog.remove(peer);
        Map<DocKey, PeerDoc> m = states.remove(peer);
        if (m != null) {
            m.values().forEach(PeerDoc::free);
        }
    }
}
