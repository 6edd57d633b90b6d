package io.peat.sync.internal.automerge;

import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.automerge.ChangeHash;
import org.automerge.Document;

/**
 * What {@link SyncMessageCheck} must know of the receiving document: how many changes each actor
 * has in its history (to refuse a change whose seq skips ahead: automerge 0.5.7 applies it, then
 * aborts the JVM on the next clock lookup) and which of its objects are lists or text (to refuse a
 * map key on a list, or an element id on a map: native code panics comparing them). Built from {@code Document.encodeChangesSince} and kept current
 * incrementally: {@link #refresh(Document)} reads only the changes added since the last refresh.
 *
 * <p>Not thread-safe: use it on the thread that owns the document (the coordinator thread), and
 * refresh it right before each check, after any local edit, merge or applied message.
 */
public final class ActorSeqLedger {
    private final Map<String, Long> counts = new HashMap<>();
    /** Actor hex to the small ids object keys use ({@link CheckContext#actorId}). */
    final Map<String, Integer> actorIds = new HashMap<>();
    /** Objects the document's changes make: key to whether it is a list or text. */
    final Map<Long, Boolean> objects = new HashMap<>();
    private ChangeHash[] heads = new ChangeHash[0];

    private ActorSeqLedger() {
    }

    /**
     * A ledger of {@code doc}'s whole history (cost linear in the history; then use {@link #refresh}).
     *
     * @param doc the document; only read
     * @return the ledger
     */
    public static ActorSeqLedger of(Document doc) {
        ActorSeqLedger l = new ActorSeqLedger();
        l.refresh(doc);
        return l;
    }

    /**
     * Adds the changes {@code doc} gained since the last refresh (cost linear in those changes).
     *
     * @param doc the same document this ledger was made from
     */
    public void refresh(Document doc) {
        ChangeHash[] now = doc.getHeads();
        byte[] added = doc.encodeChangesSince(heads);
        ByteCursor in = new ByteCursor(added);
        while (!in.atEnd()) {
            in.take(8, "change chunk header");
            int type = in.u8("chunk type");
            int start = in.lengthPrefixed("change chunk");
            int end = in.pos();
            if (type != ChunkCheck.TYPE_CHANGE) {
                throw new IllegalStateException("encodeChangesSince returned a chunk of type " + type);
            }
            ByteCursor body = in.window(start, end);
            SyncMessageCheck.hashes(body, "deps");
            int actor = body.lengthPrefixed("actor");
            String key = HexFormat.of().formatHex(added, actor, body.pos());
            counts.merge(key, 1L, Long::sum);
            // Learn the objects the change makes. These are the document's own bytes, already in it:
            // no limit meant for a peer's payloads applies (a 10 MiB text change has 10 million ops).
            CheckContext ctx = new CheckContext(Long.MAX_VALUE, this, false, Long.MAX_VALUE);
            ChangeChunkCheck.check(in.window(start, end), ctx, "document change");
            actorIds.putAll(ctx.newActorIds());
            objects.putAll(ctx.madeObjects());
        }
        heads = now;
    }

    /**
     * @param actorHex the actor id in lower-case hex
     * @return how many changes by that actor the document held at the last refresh
     */
    public long changesBy(String actorHex) {
        return counts.getOrDefault(actorHex, 0L);
    }
}
