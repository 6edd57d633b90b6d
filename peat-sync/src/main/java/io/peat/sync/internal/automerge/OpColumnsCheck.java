package io.peat.sync.internal.automerge;

import io.peat.sync.internal.automerge.ColumnReaders.Bool;
import io.peat.sync.internal.automerge.ColumnReaders.Delta;
import io.peat.sync.internal.automerge.ColumnReaders.Kind;
import io.peat.sync.internal.automerge.ColumnReaders.Rle;
import io.peat.sync.internal.automerge.ColumnReaders.Values;
import java.util.HashMap;
import java.util.Map;

/**
 * Walks the op columns of a change chunk ({@code storage/change/change_op_columns.rs}) or a
 * document chunk ({@code storage/document/doc_op_columns.rs}) op by op and refuses the values
 * automerge 0.5.7 turns into a panic instead of an error:
 *
 * <ul>
 *   <li>an op id, object id, element id, pred or succ whose counter does not fit 32 bits, or an
 *       actor index past the chunk's actors ({@code OpId::new} unwraps, {@code actors[i]}
 *       indexes; an element id with counter 0 is the list head only with actor 0);</li>
 *   <li>a change whose {@code start_op + number of ops} passes {@code 2^32-1};</li>
 *   <li>an action above 7, or an increment (5) whose value is not an int or uint
 *       ({@code OpType::from_action_and_value} is {@code unreachable!} for those, and document
 *       chunks are not validated before it);</li>
 *   <li>in a document: an op on an object the document never makes, a map key on a list or text,
 *       an element id on a map or table ({@code key_cmp} panics);</li>
 *   <li>more than {@link #budgetFor} ops per payload: {@link #MAX_OPS} and two per payload byte
 *       (run-length encoding can claim billions of ops in a few bytes; native code would loop over
 *       them).</li>
 * </ul>
 *
 * Stateless; any thread.
 */
final class OpColumnsCheck {
    /** Ops (and pred/succ entries) any payload may have, however small. */
    static final long MAX_OPS = 1L << 22;
    /** Ops allowed beyond {@link #MAX_OPS} per byte of payload: a real change spends about a byte an op. */
    static final long OPS_PER_BYTE = 2;
    static final long MAX_COUNTER = 0xFFFF_FFFFL;

    private OpColumnsCheck() {
    }

    /** Counts ops walked across one payload. Not thread-safe. */
    static final class OpBudget {
        private long max;
        private long left;

        OpBudget(long max) {
            this.max = max;
            this.left = max;
        }

        /** Raises the budget by {@code n} ops (for bytes inflated from the payload). */
        void grant(long n) {
            max += n;
            left += n;
        }

        void spend(long n, ByteCursor at, String what) {
            if (n < 0 || n > left) {
                throw at.fail(what + ": more than " + max + " ops (and pred/succ entries) in one payload of this size");
            }
            left -= n;
        }
    }

    /**
     * @param payloadBytes the size of a payload from a peer
     * @return the ops it may walk: {@link #MAX_OPS} plus {@link #OPS_PER_BYTE} per byte, so a real
     *     10 MiB change passes while a few bytes of run-length encoding cannot claim billions
     */
    static long budgetFor(long payloadBytes) {
        return MAX_OPS + OPS_PER_BYTE * payloadBytes;
    }

    /** The data windows of one chunk's columns, by spec with the deflate bit cleared. */
    static final class ColumnSet {
        final Map<Integer, ByteCursor> bySpec = new HashMap<>();
        final ByteCursor anchor;

        ColumnSet(ByteCursor anchor) {
            this.anchor = anchor;
        }

        void put(int spec, ByteCursor data, String what) {
            int normal = spec & ~RawColumns.DEFLATE_BIT;
            if (bySpec.put(normal, data) != null) {
                throw anchor.fail(what + ": duplicate column spec " + Integer.toUnsignedString(normal));
            }
        }

        ByteCursor get(int spec) {
            ByteCursor c = bySpec.get(spec);
            return c == null ? null : c.window(c.pos(), c.end());
        }
    }

    /**
     * @param cols the op columns
     * @param document true for a document chunk's ops (with id and succ), false for a change's (pred)
     * @param startOp the change's start op (ignored for documents)
     * @param actorIds the context's id ({@link CheckContext#actorId}) of each actor the chunk names
     *                 (a change: its actor, then its other actors)
     * @param ctx the payload's context: op budget and the types of objects made so far
     */
    static void check(ColumnSet cols, boolean document, long startOp, int[] actorIds, CheckContext ctx, String what) {
        if (document) {
            // A document's ops are sorted by object, not by time: learn every object it makes first.
            walk(cols, true, 0, actorIds, ctx, what, false);
        }
        walk(cols, document, startOp, actorIds, ctx, what, true);
    }

    /**
     * @param checkKeys false: only record the objects made; true: check every op, and record the
     *                  objects made as they come (a change) or require every object to be made in
     *                  the chunk (a document)
     */
    private static void walk(ColumnSet cols, boolean document, long startOp, int[] actorIds, CheckContext ctx,
                             String what, boolean checkKeys) {
        int actors = actorIds.length;
        OpBudget budget = ctx.ops;
        Rle objActor = new Rle(cols.get(0x01), Kind.ULEB, what + " obj actor");
        Rle objCtr = new Rle(cols.get(0x02), Kind.ULEB, what + " obj counter");
        Rle keyActor = new Rle(cols.get(0x11), Kind.ULEB, what + " key actor");
        Delta keyCtr = new Delta(cols.get(0x13), what + " key counter");
        Rle keyStr = new Rle(cols.get(0x15), Kind.STRING, what + " key string");
        Rle idActor = new Rle(cols.get(0x21), Kind.ULEB, what + " id actor");
        Delta idCtr = new Delta(cols.get(0x23), what + " id counter");
        Bool insert = new Bool(cols.get(0x34), what + " insert");
        Rle action = new Rle(cols.get(0x42), Kind.ULEB, what + " action");
        Values values = new Values(cols.get(0x56), cols.get(0x57), what + " value");
        int group = document ? 0x80 : 0x70;
        Rle refCount = new Rle(cols.get(group), Kind.ULEB, what + (document ? " succ count" : " pred count"));
        Rle refActor = new Rle(cols.get(group + 1), Kind.ULEB, what + (document ? " succ actor" : " pred actor"));
        Delta refCtr = new Delta(cols.get(group + 3), what + (document ? " succ counter" : " pred counter"));
        Bool expand = new Bool(cols.get(0x94), what + " expand");
        Rle markName = new Rle(cols.get(0xa5), Kind.STRING, what + " mark name");
        ByteCursor at = cols.anchor;

        long i = 0;
        while (!action.done()) {
            budget.spend(1, at, what);
            long idCounter;
            long idAct;
            if (document) {
                if (!idActor.next() || !idCtr.next()) {
                    throw at.fail(op(what, i) + ": missing op id");
                }
                idCounter = idCtr.value;
                idAct = idActor.value;
                counter(idCounter, at, what, i, " id");
                actor(idAct, actors, at, what, i, " id");
            } else {
                idCounter = startOp + i;
                idAct = 0;
                if (idCounter > MAX_COUNTER) {
                    throw at.fail(op(what, i) + ": op counter " + idCounter + " (start_op " + startOp + " + " + i
                            + ") does not fit 32 bits");
                }
            }
            if (!action.next()) {
                throw at.fail(op(what, i) + ": null action");
            }
            long act = action.value;
            if (act < 0 || act > 7) {
                throw at.fail(op(what, i) + ": action " + Long.toUnsignedString(act) + " is not 0..7");
            }
            values.next();
            if (act == 5 && values.type != 3 && values.type != 4) {
                throw at.fail(op(what, i) + ": increment with a value of type " + values.type + ", not int or uint");
            }
            // Object.
            boolean hasA = objActor.next();
            boolean hasC = objCtr.next();
            long objKey;
            if (hasA && hasC) {
                counter(objCtr.value, at, what, i, " obj");
                actor(objActor.value, actors, at, what, i, " obj");
                objKey = CheckContext.objectKey(objCtr.value, actorIds[(int) objActor.value]);
                if (objCtr.value == 0) {
                    objKey = -1;
                }
            } else if (!hasA && !hasC) {
                objKey = -1;
            } else if (hasC && objCtr.value == 0) {
                objKey = -1;
            } else {
                throw at.fail(op(what, i) + ": object id with only " + (hasA ? "an actor" : "a counter"));
            }
            // Key.
            boolean ka = keyActor.next();
            boolean kc = keyCtr.next();
            boolean ks = keyStr.next();
            boolean elem;
            if (ka && kc && ks) {
                throw at.fail(op(what, i) + ": key has actor, counter and string");
            } else if (ks && !ka && !kc) {
                elem = false;
            } else if (kc && !ks && keyCtr.value == 0 && !ka) {
                elem = true;
            } else if (ka && kc && !ks) {
                counter(keyCtr.value, at, what, i, " key");
                // Only 0@0 is the list head; any other element id, even with counter 0, indexes
                // the change's actors (automerge.rs:856).
                actor(keyActor.value, actors, at, what, i, " key");
                elem = true;
            } else if (!ka && !kc && !ks) {
                throw at.fail(op(what, i) + ": null key");
            } else {
                throw at.fail(op(what, i) + ": key with " + (ka ? "actor " : "") + (kc ? "counter " : "") + (ks ? "string" : ""));
            }
            // Pred (change) or succ (document).
            long refs = refCount.next() ? refCount.value : 0;
            budget.spend(refs, at, what);
            for (long r = 0; r < refs; r++) {
                if (!refActor.next() || !refCtr.next()) {
                    throw at.fail(op(what, i) + ": missing " + (document ? "succ" : "pred") + " entry " + r + " of " + refs);
                }
                counter(refCtr.value, at, what, i, document ? " succ" : " pred");
                actor(refActor.value, actors, at, what, i, (document ? " succ" : " pred"));
            }
            insert.next();
            expand.next();
            markName.next();
            long made = CheckContext.objectKey(idCounter, actorIds[(int) idAct]);
            if (!checkKeys) {
                record(ctx, act, made);
            } else {
                Boolean seq = objKey == -1 ? Boolean.FALSE : ctx.objectIsSeq(objKey);
                if (seq == null && document) {
                    throw at.fail(op(what, i) + ": object " + objCtr.value + "@" + objActor.value + " is never made");
                }
                // key_cmp in op_set.rs panics when map keys and element ids meet in one object.
                if (seq != null && seq != elem) {
                    throw at.fail(op(what, i) + ": " + (elem ? "element id" : "map key") + " on a "
                            + (seq ? "list or text" : "map or table"));
                }
                if (!document) {
                    record(ctx, act, made);
                }
            }
            i++;
        }
    }

    private static void record(CheckContext ctx, long action, long made) {
        if (action == 0 || action == 6) {
            ctx.made(made, false);
        } else if (action == 2 || action == 4) {
            ctx.made(made, true);
        }
    }

    private static String op(String what, long i) {
        return what + " op[" + i + "]";
    }

    private static void counter(long c, ByteCursor at, String what, long i, String field) {
        if (c < 0 || c > MAX_COUNTER) {
            throw at.fail(op(what, i) + field + ": counter " + c + " does not fit 32 bits");
        }
    }

    private static void actor(long a, int actors, ByteCursor at, String what, long i, String field) {
        if (a < 0 || a >= actors) {
            throw at.fail(op(what, i) + field + ": actor index " + Long.toUnsignedString(a) + " but the chunk names "
                    + actors + " actors");
        }
    }
}
