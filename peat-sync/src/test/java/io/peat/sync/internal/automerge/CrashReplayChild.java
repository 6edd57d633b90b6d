package io.peat.sync.internal.automerge;

import java.util.HexFormat;
import org.automerge.Document;
import org.automerge.SyncState;

/**
 * Child JVM for {@link CrashFramePinTest}: feeds one sync-message payload (hex, argument 2) to a
 * fresh document the way the node does: {@code receiveSyncMessage} then {@code generateSyncMessage}
 * on the same sync state. Argument 1 is {@code raw} (no check, as the node did before issue 10) or
 * {@code checked} ({@link SyncMessageCheck} first). Prints {@code REFUSED <message>} when the check
 * refuses the payload and {@code APPLIED} when native code survived; a native panic aborts the
 * process (exit code 134 on Linux). Single-threaded.
 */
public final class CrashReplayChild {
    private CrashReplayChild() {
    }

    public static void main(String[] args) {
        boolean checked = args[0].equals("checked");
        byte[] payload = HexFormat.of().parseHex(args[1]);
        if (checked) {
            try {
                SyncMessageCheck.check(payload);
            } catch (MalformedPayloadException e) {
                System.out.println("REFUSED " + e.getMessage());
                System.exit(0);
            }
        }
        Document doc = new Document();
        SyncState state = new SyncState();
        try {
            try {
                doc.receiveSyncMessage(state, payload);
            } catch (RuntimeException e) {
                System.out.println("NATIVE-ERROR " + e.getMessage());
            }
            doc.generateSyncMessage(state);
            System.out.println("APPLIED");
        } finally {
            state.free();
            doc.free();
        }
        System.exit(0);
    }
}
