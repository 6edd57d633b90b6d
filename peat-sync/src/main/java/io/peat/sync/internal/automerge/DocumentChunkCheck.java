package io.peat.sync.internal.automerge;

/**
 * Checks the body of a document chunk as {@code storage/document.rs} of automerge 0.5.7 parses it:
 * actors, head hashes, change column metadata, op column metadata ({@link RawColumns}), the change
 * and op column data (deflated columns must inflate within the payload's {@link CheckContext}),
 * then one LEB128 head index per head and nothing after. Stateless; any thread.
 */
final class DocumentChunkCheck {
    private DocumentChunkCheck() {
    }

    /** @param in cursor over exactly the chunk's data (after the header) */
    static void check(ByteCursor in, CheckContext budget, String what) {
        int actors = in.count(what + " actor count", 1);
        int[] actorStart = new int[actors];
        int[] actorEnd = new int[actors];
        for (int a = 0; a < actors; a++) {
            actorStart[a] = in.lengthPrefixed(what + " actor[" + a + "]");
            actorEnd[a] = in.pos();
        }
        int heads = in.count(what + " head count", SyncMessageCheck.HASH_BYTES);
        in.take((long) heads * SyncMessageCheck.HASH_BYTES, what + " heads");
        RawColumns changeCols = RawColumns.parse(in, what + " change");
        RawColumns opCols = RawColumns.parse(in, what + " op");
        int changeStart = in.take(changeCols.totalLength, what + " change column data");
        int opStart = in.take(opCols.totalLength, what + " op column data");
        OpColumnsCheck.ColumnSet changes = columns(in.window(changeStart, opStart), changeCols, budget, what + " change");
        OpColumnsCheck.ColumnSet ops = columns(in.window(opStart, in.pos()), opCols, budget, what + " op");
        if (!in.atEnd()) {
            for (int h = 0; h < heads; h++) {
                in.uleb(what + " head index[" + h + "]");
            }
        }
        in.expectEnd(what);
        int[] actorIds = new int[actors];
        for (int a = 0; a < actors; a++) {
            actorIds[a] = budget.actorId(in.array(), actorStart[a], actorEnd[a] - actorStart[a]);
        }
        OpColumnsCheck.check(ops, true, 0, actorIds, budget, what);
        changeSeqs(changes, in, actorStart, actorEnd, budget, what);
    }

    /** Walks the change metadata (actor index, seq) in order and records each seq with the context. */
    private static void changeSeqs(OpColumnsCheck.ColumnSet cols, ByteCursor in, int[] actorStart, int[] actorEnd,
                                   CheckContext budget, String what) {
        ColumnReaders.Rle actor = new ColumnReaders.Rle(cols.get(0x01), ColumnReaders.Kind.ULEB, what + " change actor");
        ColumnReaders.Delta seq = new ColumnReaders.Delta(cols.get(0x03), what + " change seq");
        long i = 0;
        while (actor.next()) {
            budget.ops.spend(1, cols.anchor, what);
            if (actor.value < 0 || actor.value >= actorStart.length) {
                throw cols.anchor.fail(what + " change[" + i + "]: actor index " + Long.toUnsignedString(actor.value)
                        + " but the document names " + actorStart.length + " actors");
            }
            if (!seq.next()) {
                throw cols.anchor.fail(what + " change[" + i + "]: null seq");
            }
            int a = (int) actor.value;
            budget.seq(in.array(), actorStart[a], actorEnd[a] - actorStart[a], seq.value, cols.anchor,
                    what + " change[" + i + "]");
            i++;
        }
    }

    /** The columns' data windows, deflated ones inflated (within the budget). */
    private static OpColumnsCheck.ColumnSet columns(ByteCursor data, RawColumns cols, CheckContext budget, String what) {
        OpColumnsCheck.ColumnSet set = new OpColumnsCheck.ColumnSet(data);
        int at = data.pos();
        for (int i = 0; i < cols.count(); i++) {
            ByteCursor col = data.window(at, at + cols.lengths[i]);
            if ((cols.specs[i] & RawColumns.DEFLATE_BIT) != 0) {
                byte[] inflated = ChunkCheck.inflate(col, budget, what + " column[" + i + "]");
                col = new ByteCursor(inflated, 0, inflated.length, col.offset());
            }
            set.put(cols.specs[i], col, what);
            at += cols.lengths[i];
        }
        return set;
    }
}
