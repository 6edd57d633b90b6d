package io.peat.sync.internal;

import io.peat.sync.internal.automerge.ActorSeqLedger;
import io.peat.sync.internal.automerge.DocumentCheck;
import io.peat.sync.internal.automerge.SyncMessageCheck;
import java.util.function.Supplier;

/**
 * The {@link PayloadCheck} every node uses: Automerge's sync-message and document encodings
 * (automerge 0.5.7, as bundled in automerge-java 0.0.7) checked in Java by
 * {@link SyncMessageCheck} and {@link DocumentCheck}; see {@code peat-sync/FUZZING.md} for the
 * rules and the fuzzing behind them.
 *
 * <p>Threads: the sync thread (the ledger is that thread's).
 */
public final class AutomergePayloadCheck implements PayloadCheck {
    /** The one instance; it keeps no state. */
    public static final AutomergePayloadCheck INSTANCE = new AutomergePayloadCheck();

    private AutomergePayloadCheck() {
    }

    @Override
    public void syncMessage(byte[] message, Supplier<ActorSeqLedger> receiver) {
        SyncMessageCheck.check(message, receiver);
    }

    @Override
    public void document(byte[] saved) {
        DocumentCheck.check(saved);
    }
}
