package io.peat.sync.internal.automerge;

/**
 * Checks the body of a document chunk as {@code storage/document.rs} of automerge 0.5.7 parses it:
 * actors, head hashes, change column metadata, op column metadata ({@link RawColumns}), the change
 * and op column data (deflated columns must inflate within the payload's {@link InflateBudget}),
 * then one LEB128 head index per head and nothing after. Stateless; any thread.
 */
final class DocumentChunkCheck {
    private DocumentChunkCheck() {
    }

    /** @param in cursor over exactly the chunk's data (after the header) */
    static void check(ByteCursor in, InflateBudget budget, String what) {
        int actors = in.count(what + " actor count", 1);
        for (int a = 0; a < actors; a++) {
            in.lengthPrefixed(what + " actor[" + a + "]");
        }
        int heads = in.count(what + " head count", SyncMessageCheck.HASH_BYTES);
        in.take((long) heads * SyncMessageCheck.HASH_BYTES, what + " heads");
        RawColumns changeCols = RawColumns.parse(in, what + " change");
        RawColumns opCols = RawColumns.parse(in, what + " op");
        int changeStart = in.take(changeCols.totalLength, what + " change column data");
        int opStart = in.take(opCols.totalLength, what + " op column data");
        inflateDeflated(in.window(changeStart, opStart), changeCols, budget, what + " change");
        inflateDeflated(in.window(opStart, in.pos()), opCols, budget, what + " op");
        if (!in.atEnd()) {
            for (int h = 0; h < heads; h++) {
                in.uleb(what + " head index[" + h + "]");
            }
        }
        in.expectEnd(what);
    }

    private static void inflateDeflated(ByteCursor data, RawColumns cols, InflateBudget budget, String what) {
        int at = data.pos();
        for (int i = 0; i < cols.count(); i++) {
            ByteCursor col = data.window(at, at + cols.lengths[i]);
            if ((cols.specs[i] & RawColumns.DEFLATE_BIT) != 0) {
                ChunkCheck.inflate(col, budget, what + " column[" + i + "]");
            }
            at += cols.lengths[i];
        }
    }
}
