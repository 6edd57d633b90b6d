package io.peat.sync.internal.automerge;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * Structural check of an Automerge sync message (the input of
 * {@code Document.receiveSyncMessage(SyncState, byte[])}) before it reaches native code.
 *
 * <p>Follows the encoding that automerge 0.5.7 (the Rust core inside automerge-java 0.0.7) reads
 * in {@code sync.rs}: message type {@code 0x42} (v1) or {@code 0x43} (v2); heads and need as
 * LEB128 counts of 32-byte hashes; have entries, each last_sync hashes plus a length-prefixed
 * Bloom filter ({@link BloomFilterCheck}); a count of length-prefixed change entries, each a
 * sequence of Automerge chunks checked by {@link ChunkCheck} (a v2 message may carry a whole
 * document chunk); then, optionally, a count of one-byte capabilities, and nothing after them.
 *
 * <p>Every count is checked against the bytes that remain before anything is read for it, so the
 * check allocates nothing proportional to a claimed length, and its cost is linear in the payload
 * size (inflating compressed chunks is bounded by {@link ChunkCheck#MAX_INFLATED_BYTES}).
 *
 * <p>Stateless and thread-safe: call it from any thread.
 */
public final class SyncMessageCheck {
    static final int HASH_BYTES = 32;
    static final int TYPE_V1 = 0x42;
    static final int TYPE_V2 = 0x43;

    private SyncMessageCheck() {
    }

    /**
     * Checks the structure of {@code payload} without knowing the receiving document. This is not
     * enough on its own: a change whose seq skips ahead of what the receiver holds is only refused by
     * {@link #check(byte[], ActorSeqLedger)}, which the node must call before
     * {@code receiveSyncMessage}. Useful to refuse a SyncBatch entry early.
     *
     * @param payload the DeltaSync payload (or a SyncBatch entry's payload) as received
     * @throws MalformedPayloadException naming the first problem found, its value and offset
     * @throws NullPointerException if {@code payload} is null
     */
    public static void check(byte[] payload) {
        check(payload, new CheckContext(ChunkCheck.MAX_INFLATED_BYTES, null, false, OpColumnsCheck.budgetFor(payload.length)));
    }

    /**
     * Like {@link #check(byte[])}, and also refuses a change whose seq skips ahead of the changes the
     * receiving document holds by its actor (native code applies it, then aborts on the next clock
     * lookup). Call it on the thread that owns the document, right before
     * {@code receiveSyncMessage}, with a ledger refreshed from that document.
     *
     * @param payload the DeltaSync payload (or a SyncBatch entry's payload) as received
     * @param receiver the receiving document's ledger, refreshed just before this call
     * @throws MalformedPayloadException naming the first problem found, its value and offset
     * @throws NullPointerException if {@code payload} or {@code receiver} is null
     */
    public static void check(byte[] payload, ActorSeqLedger receiver) {
        Objects.requireNonNull(receiver, "receiver");
        check(payload, () -> receiver);
    }

    /**
     * Like {@link #check(byte[], ActorSeqLedger)}, asking for the receiver's ledger only when the
     * message carries changes (only they are checked against it). Most messages carry none (heads,
     * need, Bloom filters), and making or refreshing a ledger walks every op the document gained
     * since its last refresh: for a document that just took in 10 MiB of text, seconds.
     *
     * @param payload the DeltaSync payload (or a SyncBatch entry's payload) as received
     * @param receiver gives the receiving document's ledger, refreshed; called at most once, and
     *     not at all when the message carries no change
     * @throws MalformedPayloadException naming the first problem found, its value and offset
     * @throws NullPointerException if {@code payload} or {@code receiver} (or what it gives) is null
     */
    public static void check(byte[] payload, Supplier<ActorSeqLedger> receiver) {
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(receiver, "receiver");
        walk(payload, () -> new CheckContext(ChunkCheck.MAX_INFLATED_BYTES, Objects.requireNonNull(receiver.get(), "ledger"),
                true, OpColumnsCheck.budgetFor(payload.length)));
    }

    private static void check(byte[] payload, CheckContext budget) {
        walk(payload, () -> budget);
    }

    /** Checks the message, making its context only when it carries a change. */
    private static void walk(byte[] payload, Supplier<CheckContext> context) {
        ByteCursor in = new ByteCursor(payload);
        int type = in.u8("sync message type");
        if (type != TYPE_V1 && type != TYPE_V2) {
            throw in.failAt(0, String.format("sync message type 0x%02x is neither 0x42 nor 0x43", type));
        }
        hashes(in, "heads");
        hashes(in, "need");
        int haves = in.count("have count", 2);
        for (int h = 0; h < haves; h++) {
            hashes(in, "have[" + h + "] last_sync");
            int start = in.lengthPrefixed("have[" + h + "] bloom");
            BloomFilterCheck.check(in.window(start, in.pos()));
        }
        int changes = in.count("change count", 1);
        CheckContext budget = changes > 0 ? context.get() : null;
        for (int c = 0; c < changes; c++) {
            int start = in.lengthPrefixed("change[" + c + "]");
            ChunkCheck.checkChunks(in.window(start, in.pos()), budget, "change[" + c + "]");
        }
        if (!in.atEnd()) {
            int caps = in.count("capability count", 1);
            in.take(caps, "capabilities");
        }
        in.expectEnd("sync message");
    }

    static void hashes(ByteCursor in, String field) {
        int n = in.count(field + " count", HASH_BYTES);
        in.take((long) n * HASH_BYTES, field);
    }
}
