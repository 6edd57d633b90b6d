package io.peat.sync.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.automerge.SyncState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The automerge-java bug {@link SyncStateSkipsLibraryLoad} works around, each case in a fresh child JVM. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SyncStateSkipsLibraryLoadTest {

    /** Child main: {@code bare} makes a SyncState first thing; {@code worked-around} loads through the workaround first. */
    public static final class Child {
        public static void main(String[] args) {
            if (args[0].equals("worked-around")) {
                SyncStateSkipsLibraryLoad.ensureLoaded();
            }
            try {
                new SyncState().free();
                System.out.println("OK");
            } catch (UnsatisfiedLinkError e) {
                System.out.println("UnsatisfiedLinkError " + e.getMessage());
            }
        }
    }

    private static String runChild(String mode) throws Exception {
        Process p = new ProcessBuilder(List.of(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
                "-cp", System.getProperty("java.class.path"), Child.class.getName(), mode)).redirectErrorStream(true).start();
        assertTrue(p.waitFor(45, TimeUnit.SECONDS), "child JVM did not end");
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    }

    @Test
    void stillNeeded_aFirstSyncStateFailsWithoutALoadedLibrary() throws Exception {
        String out = runChild("bare");
        assertTrue(out.contains("UnsatisfiedLinkError") && out.contains("createSyncState"),
                "automerge-java now loads its library for SyncState; the workaround can go: " + out);
    }

    @Test
    void theWorkaroundLoadsTheLibrary() throws Exception {
        assertEquals("OK", runChild("worked-around"));
    }
}
