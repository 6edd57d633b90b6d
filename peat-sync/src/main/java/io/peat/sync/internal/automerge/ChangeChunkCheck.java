package io.peat.sync.internal.automerge;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Checks the body of a change chunk as {@code storage/change.rs} of automerge 0.5.7 parses it:
 * dependency hashes, actor id, seq, non-zero start op (at most {@code 2^32-1}), signed timestamp,
 * UTF-8 message, other actors, uncompressed op column metadata ({@link RawColumns}), the op column
 * data, then extra bytes to the end of the chunk; the op columns themselves are checked by
 * {@link ChangeOpsCheck}. Stateless; any thread.
 */
final class ChangeChunkCheck {
    private ChangeChunkCheck() {
    }

    /** @param in cursor over exactly the chunk's data (after the header) */
    static void check(ByteCursor in, CheckContext budget, String what) {
        SyncMessageCheck.hashes(in, what + " deps");
        int actor = in.lengthPrefixed(what + " actor");
        int actorEnd = in.pos();
        int seqAt = in.pos();
        long seq = in.uleb(what + " seq");
        int at = in.pos();
        long startOp = in.uleb(what + " start_op");
        if (startOp == 0 || Long.compareUnsigned(startOp, 0xFFFF_FFFFL) > 0) {
            throw in.failAt(at, what + ": start_op " + Long.toUnsignedString(startOp) + " outside 1..2^32-1");
        }
        in.sleb(what + " timestamp");
        int msg = in.lengthPrefixed(what + " message");
        checkUtf8(in, msg, in.pos(), what + " message");
        int others = in.count(what + " other actor count", 1);
        int[] actorIds = new int[others + 1];
        actorIds[0] = budget.actorId(in.array(), actor, actorEnd - actor);
        for (int a = 0; a < others; a++) {
            int start = in.lengthPrefixed(what + " other actor[" + a + "]");
            actorIds[a + 1] = budget.actorId(in.array(), start, in.pos() - start);
        }
        RawColumns cols = RawColumns.parse(in, what + " op");
        if (cols.anyDeflated()) {
            throw in.fail(what + ": change op columns must not be deflated");
        }
        int dataStart = in.take(cols.totalLength, what + " op column data");
        budget.seq(in.array(), actor, actorEnd - actor, seq, in.window(seqAt, seqAt), what);
        ChangeOpsCheck.check(in.window(dataStart, in.pos()), cols, startOp, actorIds, budget, what);
        // The rest of the chunk is extra bytes, which Automerge keeps as they are.
    }

    static void checkUtf8(ByteCursor in, int from, int to, String what) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(in.array(), from, to - from));
        } catch (CharacterCodingException e) {
            throw in.failAt(from, what + ": invalid UTF-8");
        }
    }
}
