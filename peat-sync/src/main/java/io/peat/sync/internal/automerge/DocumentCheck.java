package io.peat.sync.internal.automerge;

/**
 * Structural check of Automerge {@code save()} bytes (the input of {@code Document.load}, as carried
 * by StateSnapshot frames) before they reach native code.
 *
 * <p>The bytes must be one or more whole Automerge chunks (a document chunk, change chunks or
 * compressed change chunks, in any order), each with valid magic bytes, chunk type, length and
 * checksum, and a body that parses the way automerge 0.5.7 (inside automerge-java 0.0.7) parses
 * it; see {@link ChunkCheck}. An empty payload is refused (native code would load it as an empty
 * document, which a peer never sends).
 *
 * <p>Allocates nothing proportional to a claimed length; cost is linear in the payload size,
 * inflation bounded by {@link ChunkCheck#MAX_INFLATED_BYTES}. Stateless and thread-safe.
 */
public final class DocumentCheck {
    private DocumentCheck() {
    }

    /**
     * Checks that {@code saved} is a document native code can safely load.
     *
     * @param saved the StateSnapshot payload (or a SyncBatch entry's payload) as received
     * @throws MalformedPayloadException naming the first problem found, its value and offset
     * @throws NullPointerException if {@code saved} is null
     */
    public static void check(byte[] saved) {
        ChunkCheck.checkChunks(new ByteCursor(saved), new CheckContext(ChunkCheck.MAX_INFLATED_BYTES, null, true,
                OpColumnsCheck.budgetFor(saved.length)), "document");
    }
}
