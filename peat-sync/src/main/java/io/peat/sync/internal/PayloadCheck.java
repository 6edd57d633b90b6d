package io.peat.sync.internal;

import io.peat.sync.internal.automerge.ActorSeqLedger;
import java.util.function.Supplier;

/**
 * Checks a payload from the network before Automerge's native code sees it (SPEC 3.13): a panic in
 * native code aborts the whole JVM, so whatever it could not survive must be refused here.
 *
 * <p>Threads: called on the sync thread. Implementations keep no state of their own; what a check
 * must know of the receiving document comes in its {@link ActorSeqLedger}.
 */
public interface PayloadCheck {
    /**
     * @param message a sync message, as for {@code Document.receiveSyncMessage}
     * @param receiver gives the receiving document's ledger, refreshed when asked; ask only when the
     *     message carries changes (making or refreshing a ledger walks the document's new ops)
     * @throws io.peat.spi.ProtocolViolationException naming what is wrong, when it must not reach native code
     */
    void syncMessage(byte[] message, Supplier<ActorSeqLedger> receiver);

    /**
     * @param saved a saved document, as for {@code Document.load}
     * @throws io.peat.spi.ProtocolViolationException naming what is wrong, when it must not reach native code
     */
    void document(byte[] saved);
}
