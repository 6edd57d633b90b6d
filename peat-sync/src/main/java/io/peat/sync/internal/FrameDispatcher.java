package io.peat.sync.internal;

import io.peat.spi.PeerId;
import io.peat.sync.PayloadRejectedException;
import io.peat.sync.internal.channel.PeerCounters;
import io.peat.sync.wire.Frame;
import io.peat.sync.wire.MessageType;
import io.peat.sync.wire.NegentropyMessage;
import io.peat.sync.wire.SyncBatch;
import io.peat.sync.wire.SyncFragment;
import java.util.Optional;
import io.peat.sync.wire.TombstoneBatch;
import io.peat.sync.wire.TombstoneRecord;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dispatch table (SPEC section 2): ONE method, {@link #dispatch}, that every stream's frames go
 * through, accept side and connect side alike. Seven live arms; unknown and reserved types are
 * skipped (their length is known), counted and logged once per peer.
 *
 * <p>Threads: called on the coordinator thread only.
 */
public final class FrameDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(FrameDispatcher.class);

    /** The arms' targets. Called on the coordinator thread. */
    public interface Handler {
        /** @param from sender @param docKey document key @param message Automerge sync message */
        void onDeltaSync(PeerId from, String docKey, byte[] message);

        /** @param from sender @param docKey document key @param saved Automerge save() bytes */
        void onStateSnapshot(PeerId from, String docKey, byte[] saved);

        /** @param from sender @param tombstone the decoded record */
        void onTombstone(PeerId from, TombstoneRecord tombstone);

        /** @param from sender @param message a negentropy V1 init message */
        void onNegentropyInit(PeerId from, byte[] message);

        /** @param from sender @param message a negentropy V1 response message */
        void onNegentropyResponse(PeerId from, byte[] message);
    }

    private final Handler handler;
    private final Function<PeerId, PeerCounters> counters;
    private final AtomicLongArray dispatched = new AtomicLongArray(256);
    private final Set<PeerId> warnedUnknown = ConcurrentHashMap.newKeySet();
    private final Map<PeerId, Long> batchEntryErrors = new ConcurrentHashMap<>();
    private final FragmentAssembler fragments;

    /**
     * @param handler the arms' targets
     * @param counters per-peer counters (unknown frames are counted there)
     */
    public FrameDispatcher(Handler handler, Function<PeerId, PeerCounters> counters) {
        this(handler, counters, 4L * io.peat.sync.wire.FrameCodec.DEFAULT_MAX_PAYLOAD);
    }

    /**
     * @param handler the arms' targets
     * @param counters per-peer counters (unknown frames are counted there)
     * @param maxJoinedBytes the largest payload {@link SyncFragment}s may join into
     */
    public FrameDispatcher(Handler handler, Function<PeerId, PeerCounters> counters, long maxJoinedBytes) {
        this.handler = handler;
        this.counters = counters;
        this.fragments = new FragmentAssembler(maxJoinedBytes);
    }

    /**
     * Routes one frame to its arm. A frame whose payload does not decode is logged and dropped; it
     * never ends the stream it came on (the framing itself was sound).
     *
     * @param from the sender
     * @param frame the frame
     */
    public void dispatch(PeerId from, Frame frame) {
        if (frame.typeCode() == MessageType.TOMBSTONE_ACK.code()) {
            return; // informational: accepted and ignored (SPEC section 2)
        }
        MessageType type = frame.type().filter(MessageType::isLive).orElse(null);
        if (type == null) {
            counters.apply(from).unknownFrames.incrementAndGet();
            if (warnedUnknown.add(from)) {
                LOG.warn("peer {} sent a frame of unknown or reserved type 0x{} ({} bytes, key '{}'); skipped (logged once per peer)",
                        from, Integer.toHexString(frame.typeCode()), frame.payload().length, frame.docKey());
            }
            return;
        }
        try {
            switch (type) {
                case DELTA_SYNC -> handler.onDeltaSync(from, frame.docKey(), frame.payload());
                case STATE_SNAPSHOT -> handler.onStateSnapshot(from, frame.docKey(), frame.payload());
                case TOMBSTONE -> handler.onTombstone(from, TombstoneRecord.decode(frame.payload()));
                case TOMBSTONE_BATCH -> applyTombstones(from, TombstoneBatch.decode(frame.payload()));
                case SYNC_BATCH -> applyBatch(from, SyncBatch.decode(frame.payload()));
                case NEGENTROPY_INIT -> {
                    NegentropyMessage.checkV1(frame.payload());
                    handler.onNegentropyInit(from, frame.payload());
                }
                case NEGENTROPY_RESPONSE -> {
                    NegentropyMessage.checkV1(frame.payload());
                    handler.onNegentropyResponse(from, frame.payload());
                }
                case SYNC_FRAGMENT -> {
                    Optional<Frame> whole = fragments.accept(from, frame.docKey(), SyncFragment.decode(frame.payload()));
                    if (whole.isPresent()) {
                        dispatch(from, whole.get());
                    }
                }
                default -> throw new IllegalStateException("live type without an arm: " + type);
            }
            dispatched.incrementAndGet(type.code());
        } catch (RuntimeException e) {
            // A payload that does not decode, fails its check or does not apply costs this frame only.
            reject(from, frame.docKey(), frame.typeCode(), "frame", frame.payload().length, e);
        }
    }

    private void reject(PeerId from, String docKey, int typeCode, String where, int payloadBytes, RuntimeException cause) {
        counters.apply(from).recordProtocolError(new PayloadRejectedException(from, docKey, typeCode, where, payloadBytes, cause));
    }

    private void applyTombstones(PeerId from, List<TombstoneRecord> records) {
        for (TombstoneRecord t : records) {
            try {
                handler.onTombstone(from, t);
            } catch (RuntimeException e) {
                batchEntryErrors.merge(from, 1L, Long::sum);
                reject(from, t.docKey(), MessageType.TOMBSTONE.code(), "tombstone batch record", 0, e);
            }
        }
    }

    /**
     * @param type a live message type
     * @return how many frames of that type were dispatched to their arm without error
     */
    public long dispatchedCount(MessageType type) {
        return dispatched.get(type.code());
    }

    private void applyBatch(PeerId from, SyncBatch batch) {
        List<Frame> entries = batch.entries();
        for (int i = 0; i < entries.size(); i++) {
            Frame e = entries.get(i);
            try {
                MessageType t = e.type().orElse(null);
                if (t == MessageType.DELTA_SYNC) {
                    handler.onDeltaSync(from, e.docKey(), e.payload());
                } else if (t == MessageType.STATE_SNAPSHOT) {
                    handler.onStateSnapshot(from, e.docKey(), e.payload());
                } else if (t == MessageType.TOMBSTONE) {
                    handler.onTombstone(from, TombstoneRecord.decode(e.payload()));
                } else {
                    LOG.debug("batch {} from {}: entry {} of type 0x{} is not applied in a batch", batch.batchId(), from, i,
                            Integer.toHexString(e.typeCode()));
                }
            } catch (RuntimeException ex) {
                // One bad entry does not abort the rest of the batch.
                batchEntryErrors.merge(from, 1L, Long::sum);
                reject(from, e.docKey(), e.typeCode(), "entry " + i + " of batch " + batch.batchId(), e.payload().length, ex);
            }
        }
    }

    /**
     * @param peer a peer
     * @return how many batch entries from it failed to apply
     */
    public long batchEntryErrors(PeerId peer) {
        return batchEntryErrors.getOrDefault(peer, 0L);
    }

    /**
     * Drops what is held for a departed peer (a frame half joined from fragments). Sync thread.
     *
     * @param peer the peer
     */
    public void forget(PeerId peer) {
        fragments.forget(peer);
    }

    /** @return peers with something held here (for the state-size pin); sync thread */
    public int peerEntries() {
        return fragments.open();
    }
}
