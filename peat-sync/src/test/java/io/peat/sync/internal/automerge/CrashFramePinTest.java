package io.peat.sync.internal.automerge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression pin for issue 10 (fault 1): one DeltaSync frame whose payload is a mutated Automerge
 * sync message (a Bloom filter with {@code bits_per_entry} 0) made native code divide by zero in
 * {@code bloom.rs} on the next {@code generateSyncMessage} and abort the JVM. Both halves run in
 * a child JVM so an abort fails the test instead of killing Surefire.
 */
class CrashFramePinTest {
    /** The whole frame as reported: key {@code x:crash}, type 0x00, 124-byte payload. */
    static final String CRASH_FRAME_HEX = FuzzSeeds.CRASH_FRAME_HEX;

    @TempDir
    Path tmp;

    record Outcome(int exit, String stdout, String stderr) {
    }

    private Outcome runChild(String mode, byte[] payload) throws IOException, InterruptedException {
        Path out = tmp.resolve(mode + ".out");
        Path err = tmp.resolve(mode + ".err");
        Process p = new ProcessBuilder(ChildJvm.command(CrashReplayChild.class, mode, HexFormat.of().formatHex(payload)))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("child did not finish in 60 s");
        }
        return new Outcome(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.ISO_8859_1));
    }

    @Test
    void frameCarriesTheReportedPayload() {
        byte[] payload = FuzzSeeds.crashPayload();
        assertEquals(124, payload.length);
        assertEquals(0x43, payload[0] & 0xFF);
    }

    /** The fault is real: without the check, native code aborts the JVM. */
    @Test
    void withoutTheCheckThePayloadAbortsNativeCode() throws Exception {
        Outcome o = runChild("raw", FuzzSeeds.crashPayload());
        assertNotEquals(0, o.exit(), "the child survived: " + o);
        assertTrue(o.stderr().contains("attempt to calculate the remainder with a divisor of zero"), o.stderr());
        assertTrue(o.stderr().contains("bloom.rs"), o.stderr());
    }

    /** With the check the payload is refused, native code never sees it and the JVM lives. */
    @Test
    void withTheCheckThePayloadIsRefused() throws Exception {
        Outcome o = runChild("checked", FuzzSeeds.crashPayload());
        assertEquals(0, o.exit(), o.toString());
        assertTrue(o.stdout().startsWith("REFUSED "), o.stdout());
        assertTrue(o.stdout().contains("bits_per_entry 0"), o.stdout());
    }

    @Test
    void theCheckNamesTheBloomFilterInProcess() {
        MalformedPayloadException e = assertThrows(MalformedPayloadException.class,
                () -> SyncMessageCheck.check(FuzzSeeds.crashPayload()));
        assertTrue(e.getMessage().contains("bloom bits_per_entry 0"), e.getMessage());
        assertEquals(38, e.offset(), e.getMessage());
    }
}
