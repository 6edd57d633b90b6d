package io.peat.sync.internal;

/**
 * The {@link PayloadCheck} every node uses: Automerge's sync-message and document encodings,
 * checked in Java.
 */
public final class AutomergePayloadCheck implements PayloadCheck {
    /** The one instance; stateless. */
    public static final AutomergePayloadCheck INSTANCE = new AutomergePayloadCheck();

    private AutomergePayloadCheck() {
    }

    @Override
    public void syncMessage(byte[] message) {
        // WIRING PENDING: the structural check lands from branch fault1.
    }

    @Override
    public void document(byte[] saved) {
        // WIRING PENDING: the structural check lands from branch fault1.
    }
}
