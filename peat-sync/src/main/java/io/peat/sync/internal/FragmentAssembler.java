package io.peat.sync.internal;

import io.peat.spi.PeerId;
import io.peat.spi.ProtocolViolationException;
import io.peat.sync.wire.Frame;
import io.peat.sync.wire.MessageType;
import io.peat.sync.wire.SyncFragment;
import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Joins {@link SyncFragment}s back into the frame they were cut from. A peer has at most one frame
 * being joined at a time (its fragments come in order on one stream); memory grows with the bytes
 * that arrived, never with the total a fragment claims, and the total may not exceed
 * {@code maxTotalBytes} (the node's bound on what one peer may hold pending).
 *
 * <p>Owned by the sync thread: every method runs there.
 */
final class FragmentAssembler {
    private final long maxTotalBytes;
    private final Map<PeerId, Assembly> open = new HashMap<>();

    private static final class Assembly {
        final String key;
        final int type;
        final long total;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Assembly(String key, int type, long total) {
            this.key = key;
            this.type = type;
            this.total = total;
        }
    }

    /** @param maxTotalBytes the largest frame payload that may be joined */
    FragmentAssembler(long maxTotalBytes) {
        this.maxTotalBytes = maxTotalBytes;
    }

    /**
     * @param from the sender
     * @param key the fragment frame's key
     * @param f the fragment
     * @return the whole frame when this was its last fragment
     * @throws ProtocolViolationException when the fragment does not continue what the peer sent
     *     before, its inner type is not DeltaSync or StateSnapshot, or its total is over the limit
     *     (the unfinished frame is dropped)
     */
    Optional<Frame> accept(PeerId from, String key, SyncFragment f) {
        if (f.innerType() != MessageType.DELTA_SYNC.code() && f.innerType() != MessageType.STATE_SNAPSHOT.code()) {
            open.remove(from);
            throw new ProtocolViolationException("sync fragment from " + from + " for '" + key + "' carries type 0x"
                    + Integer.toHexString(f.innerType()) + "; only DeltaSync (0x00) and StateSnapshot (0x01) are fragmented");
        }
        if (f.totalLength() > maxTotalBytes) {
            open.remove(from);
            throw new ProtocolViolationException("sync fragment from " + from + " for '" + key + "' announces " + f.totalLength()
                    + " bytes, over this node's limit of " + maxTotalBytes + " (SyncConfig.maxPendingBytesPerPeer)");
        }
        Assembly a = open.get(from);
        if (f.offset() == 0) {
            a = new Assembly(key, f.innerType(), f.totalLength()); // a new frame replaces one left unfinished
            open.put(from, a);
        } else if (a == null || !a.key.equals(key) || a.type != f.innerType() || a.total != f.totalLength()
                || a.bytes.size() != f.offset()) {
            open.remove(from);
            throw new ProtocolViolationException("sync fragment from " + from + " for '" + key + "' at offset " + f.offset()
                    + " does not continue " + (a == null ? "anything" : "'" + a.key + "' at " + a.bytes.size() + " of " + a.total));
        }
        a.bytes.writeBytes(f.bytes());
        if (a.bytes.size() < a.total) {
            return Optional.empty();
        }
        open.remove(from);
        return Optional.of(new Frame(a.key, a.type, a.bytes.toByteArray()));
    }

    /** @param peer a departed peer: its unfinished frame is dropped */
    void forget(PeerId peer) {
        open.remove(peer);
    }

    /** @return frames being joined now (for tests) */
    int open() {
        return open.size();
    }
}
