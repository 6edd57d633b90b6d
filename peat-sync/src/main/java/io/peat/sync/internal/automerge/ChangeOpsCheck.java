package io.peat.sync.internal.automerge;

/**
 * Checks the op columns of a change chunk. Placeholder for the column-level rules; see
 * {@code storage/change/change_op_columns.rs}. Stateless; any thread.
 */
final class ChangeOpsCheck {
    private ChangeOpsCheck() {
    }

    static void check(ByteCursor data, RawColumns cols, long startOp, int actors, String what) {
        // column-level checks are added where fuzzing shows native code needs them
    }
}
