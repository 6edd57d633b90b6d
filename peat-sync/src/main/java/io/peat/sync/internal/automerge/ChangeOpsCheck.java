package io.peat.sync.internal.automerge;

/**
 * Checks the op columns of a change chunk by walking them with {@link OpColumnsCheck}. Stateless;
 * any thread.
 */
final class ChangeOpsCheck {
    private ChangeOpsCheck() {
    }

    static void check(ByteCursor data, RawColumns cols, long startOp, int[] actorIds, CheckContext budget,
                      String what) {
        OpColumnsCheck.ColumnSet set = new OpColumnsCheck.ColumnSet(data);
        int at = data.pos();
        for (int i = 0; i < cols.count(); i++) {
            set.put(cols.specs[i], data.window(at, at + cols.lengths[i]), what);
            at += cols.lengths[i];
        }
        OpColumnsCheck.check(set, false, startOp, actorIds, budget, what);
    }
}
