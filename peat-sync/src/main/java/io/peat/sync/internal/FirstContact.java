package io.peat.sync.internal;

import java.io.ByteArrayOutputStream;

/**
 * First contact in one trip (SPEC 3.10). Automerge's sync protocol spends three one-way trips
 * before a peer that never saw a document holds it (heads, then have/need, then changes). For a
 * document this node has just created, no peer can hold it yet, so the node tells its sync state so
 * itself: it feeds the state {@link #peerHoldsNothing()}, the message a peer with an empty document
 * that speaks V2 would send. Automerge then answers with the whole document (a compressed document
 * chunk) in the first message, which goes on the persistent stream.
 *
 * <p>Once that message is queued, the node feeds the state {@link #delivered(byte[])}, the reply the
 * peer would give on receiving it, so the next edit goes as one small DeltaSync without waiting for
 * that reply: the persistent stream delivers in order, and a stream that breaks resets every sync
 * state of the peer (SPEC 3.8). The message carries the capability {@link #CAPABILITY_ASSUMED_DELIVERED};
 * a receiver that ends up with exactly the sender's heads then sends no reply at all, so a new
 * document costs one frame. A receiver that holds more or less than the sender (the same key created
 * on both) replies as usual, and that reply corrects the sender's state. Automerge keeps capability
 * codes it does not know and ignores them, so any peer can read these messages.
 *
 * <p>Stateless; any thread.
 */
final class FirstContact {
    /** Capability code: the sender assumed this message is delivered; no reply is needed if nothing differs. */
    static final int CAPABILITY_ASSUMED_DELIVERED = 0x70;

    private static final byte[] PEER_HOLDS_NOTHING = {
        0x42, // V1 message
        0x00, // heads: none
        0x00, // need: none
        0x01, 0x00, 0x00, // one have: no last_sync, an empty Bloom filter
        0x00, // changes: none
        0x02, 0x01, 0x02 // capabilities: V1, V2
    };

    private FirstContact() {
    }

    /** @return what a peer holding nothing would say first (a new array each time) */
    static byte[] peerHoldsNothing() {
        return PEER_HOLDS_NOTHING.clone();
    }

    /**
     * @param headsField the heads the sender sent, as encoded in its message (count, then hashes)
     * @return what the peer would reply once it holds exactly those heads: they are its heads and
     *     its last sync, it needs nothing, its Bloom filter is empty
     */
    static byte[] delivered(byte[] headsField) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(2 * headsField.length + 8);
        out.write(0x42);
        out.writeBytes(headsField);
        out.write(0x00); // need
        out.write(0x01); // one have
        out.writeBytes(headsField); // last_sync
        out.write(0x00); // empty Bloom filter
        out.write(0x00); // no changes
        return out.toByteArray();
    }
}
