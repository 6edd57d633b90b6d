package io.peat.sync.internal.automerge;

import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * The state of one payload check: what it may still spend (bytes inflated from compressed chunks
 * and columns, {@link ChunkCheck#MAX_INFLATED_BYTES}: native code inflates without a limit, so a
 * small deflate bomb would exhaust memory and abort the JVM; ops walked,
 * {@link OpColumnsCheck#MAX_OPS}) and the highest gap-free seq seen per actor ({@link #seq}). Not
 * thread-safe: one context per check.
 */
final class CheckContext {
    private long left;
    private final long limit;
    final OpColumnsCheck.OpBudget ops;
    private final ActorSeqLedger receiver;
    private final boolean checkSeqs;
    private final Map<String, Long> seqs = new HashMap<>();
    /** The receiver's actor ids (its ledger's), so object keys agree with the ledger's objects. */
    private final Map<String, Integer> receiverActorIds;
    /** Ids of actors the receiver does not know, numbered after the receiver's; this check only. */
    private final Map<String, Integer> newActorIds = new HashMap<>();
    private final int firstNewActorId;
    /** Objects made in this payload so far: {@link #objectKey} to whether it is a list or text. */
    private final Map<Long, Boolean> objects = new HashMap<>();

    /**
     * @param limit inflation limit in bytes
     * @param receiver how many changes per actor the receiving document already holds; null for a
     *                 document that holds none (a load)
     * @param checkSeqs whether to apply the seq rule at all (not without knowing the receiver)
     * @param opLimit how many ops (and pred/succ entries) the payload may walk
     */
    CheckContext(long limit, ActorSeqLedger receiver, boolean checkSeqs, long opLimit) {
        this.ops = new OpColumnsCheck.OpBudget(opLimit);
        this.limit = limit;
        this.left = limit;
        this.receiver = receiver;
        this.checkSeqs = checkSeqs;
        this.receiverActorIds = receiver != null ? receiver.actorIds : Map.of();
        this.firstNewActorId = receiverActorIds.size();
    }

    /** The id of the actor in {@code buf[from, from+len)} within this check (and its receiver's ledger). */
    int actorId(byte[] buf, int from, int len) {
        String hex = HexFormat.of().formatHex(buf, from, from + len);
        Integer id = receiverActorIds.get(hex);
        if (id == null) {
            id = newActorIds.get(hex);
            if (id == null) {
                id = firstNewActorId + newActorIds.size();
                newActorIds.put(hex, id);
            }
        }
        return id;
    }

    /** Actors this check met that the receiver's ledger does not know, with their ids here. */
    Map<String, Integer> newActorIds() {
        return newActorIds;
    }

    /** The key of object (or op) {@code counter@actor}, actor being an {@link #actorId}. */
    static long objectKey(long counter, int actorId) {
        return (counter << 32) | (actorId & 0xFFFF_FFFFL);
    }

    /** Records that op {@code key} makes an object: a list or text ({@code seq}) or a map or table. */
    void made(long key, boolean seq) {
        objects.put(key, seq);
    }

    /** Whether object {@code key} is a list or text; null if neither this payload nor the receiver made it. */
    Boolean objectIsSeq(long key) {
        Boolean b = objects.get(key);
        if (b == null && receiver != null) {
            b = receiver.objects.get(key);
        }
        return b;
    }

    /** The objects this payload made (for the ledger, once the changes are in the document). */
    Map<Long, Boolean> madeObjects() {
        return objects;
    }

    long left() {
        return left;
    }

    long limit() {
        return limit;
    }

    /**
     * Spends {@code n} bytes of the inflation limit. Inflated bytes earn ops as payload bytes do
     * ({@link OpColumnsCheck#OPS_PER_BYTE} each): a saved document packs its columns with deflate, so a
     * real one holds far more ops per payload byte than a change does, while inflation itself stays
     * bounded by the limit.
     */
    void spend(long n) {
        left -= n;
        ops.grant(OpColumnsCheck.OPS_PER_BYTE * n);
    }

    /**
     * Records a change with sequence number {@code seq} by the actor in {@code buf[from, from+len)},
     * taking payload order as application order. Refuses a gap: automerge 0.5.7 accepts a change
     * whose seq skips ahead of the changes it holds by that actor, and every later clock lookup
     * then slices past the end of the actor's change list ({@code automerge.rs:1009}) and aborts.
     * A seq at or below what is held is left to native code (a duplicate is an error there).
     */
    void seq(byte[] buf, int from, int len, long seq, ByteCursor at, String what) {
        if (!checkSeqs) {
            return;
        }
        String actor = HexFormat.of().formatHex(buf, from, from + len);
        Long known = seqs.get(actor);
        long held = known != null ? known : (receiver == null ? 0 : receiver.changesBy(actor));
        if (seq < 0 || seq > held + 1) {
            throw at.fail(what + ": seq " + Long.toUnsignedString(seq) + " of actor " + actor + " skips ahead of the "
                    + held + " changes by that actor before it");
        }
        if (seq == held + 1) {
            seqs.put(actor, seq);
        }
    }
}
