package io.peat.sync.internal;

import org.automerge.Document;

/**
 * Works around an automerge-java 0.0.7 bug: {@code new SyncState()} calls its native constructor
 * without loading the native library first (every {@code Document} constructor and
 * {@code Document.load} call the package-private {@code LoadLibrary.initialize()}; {@code SyncState}
 * does not). In a JVM where no {@code Document} was made yet, the first {@code new SyncState()}
 * throws {@code UnsatisfiedLinkError: ... AutomergeSys.createSyncState()}. A node whose first
 * Automerge call is a peer's sync message hit exactly that: the error ended the stream and the
 * channel reconnected. No upstream issue names it (automerge/automerge-java#17 is the nearest, a
 * library-loading report on Linux); {@code SyncStateSkipsLibraryLoadTest} shows, in a fresh child
 * JVM, that it is still needed.
 *
 * <p>Thread-safe: class initialisation runs once.
 */
public final class SyncStateSkipsLibraryLoad {
    static {
        new Document().free(); // loads the native library, as SyncState should
    }

    private SyncStateSkipsLibraryLoad() {
    }

    /** Makes sure the native library is loaded before any {@code new SyncState()}; cheap after the first call. */
    public static void ensureLoaded() {
        // The static initialiser did the work.
    }
}
