package io.peat.sync.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peat.spi.ByteStream;
import io.peat.sync.PayloadRejectedException;
import io.peat.sync.SyncBackend;
import io.peat.tck.TckWaits;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, fault 1, at node level: the reported frame, written by a hostile peer onto a node's
 * stream, used to make the node's next {@code generateSyncMessage} panic in Automerge's native code
 * and abort the JVM (exit 134). The node runs in a child JVM, so an abort fails this test.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CrashFrameNodePinTest {
    /** The whole frame as reported in issue 10: key {@code x:crash}, type 0x00, 124-byte payload. */
    static final String CRASH_FRAME_HEX = "0007783a6372617368000000007c430102e18000a7b9495f6d6e1007a812dddb490e72fdf4eb0d183a286a6eb872"
            + "bd7c000100050100000000014f856f4a8302e1c17a0145001004328fdcb4344634800e010e68139f050101000000061507340142025605571070027e"
            + "026630026e300202017e8601850176616c75652d302d00000000000000000200";

    /** Child main: a node on inmem takes the frame from a bare peer, then must still serve a real peer. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            try (Nodes nodes = new Nodes()) {
                SyncBackend a = nodes.node("a");
                var bad = nodes.raw("bad");
                ByteStream s = nodes.streamInto(bad, a);
                Nodes.get(s.write(ByteBuffer.wrap(HexFormat.of().parseHex(CRASH_FRAME_HEX))));
                TckWaits.await("the frame handled", () -> a.metrics().peer(bad.localPeerId()).received(io.peat.sync.wire.MessageType.DELTA_SYNC) == 1
                        && a.metrics().protocolErrors() >= 1);
                // Anything that makes the node generate for (bad, x:crash) again: a local edit of that document.
                Nodes.get(a.change(io.peat.sync.DocKey.of("x", "crash"), tx -> tx.set(org.automerge.ObjectId.ROOT, "v", "local")));
                SyncBackend c = nodes.node("c");
                nodes.connect(c, a);
                TckWaits.await("a real peer still syncs", () -> Nodes.holds(c, io.peat.sync.DocKey.of("x", "crash")));
                var v = a.lastProtocolViolation(bad.localPeerId()).orElseThrow();
                System.out.println("SURVIVED protocolErrors=" + a.metrics().protocolErrors() + " rejected="
                        + (v instanceof PayloadRejectedException) + " " + v.getMessage());
            }
            System.exit(0);
        }
    }

    @Test
    void theReportedFrameIsRefusedAndTheNodeLives(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("child.out");
        Path err = tmp.resolve("child.err");
        Process p = new ProcessBuilder(List.of(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
                "-cp", System.getProperty("java.class.path"), "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", Child.class.getName()))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(100, TimeUnit.SECONDS), "child JVM did not end");
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "the node's JVM died (134 = a native abort); stdout: " + stdout + "\nstderr tail: "
                + stderr.substring(Math.max(0, stderr.length() - 2000)));
        assertTrue(stdout.contains("SURVIVED protocolErrors=1 rejected=true"), stdout);
        assertTrue(stdout.contains("bad") && stdout.contains("x:crash"), "names peer and key: " + stdout);
    }
}
