package io.peat.sync.internal.automerge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.automerge.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pins for the native aborts the fuzzer found after the issue 10 fix (inputs saved from
 * {@code target/fuzz-findings}, under {@code src/test/resources/.../findings}). Each input is
 * replayed without the check in a child JVM, where it aborts native code at the named place (the
 * fault put back), and is refused in process by the check. The file name ends in {@code .rN}: the
 * input ran against receiver document N of {@link FuzzSeeds}. The third argument is what the check
 * names: the first rule the input breaks, which is not always the one behind the panic (the
 * op_set.rs:801 input also has an object id without a counter; the types.rs:508 input encodes its
 * oversized counter as an overlong LEB128, which the column decoder refuses first).
 */
class FuzzFindingPinsTest {
    private static FuzzSeeds seeds;

    @TempDir
    Path tmp;

    @BeforeAll
    static void seeds() {
        seeds = FuzzSeeds.build();
    }

    static Stream<Arguments> findings() {
        return Stream.of(
                Arguments.of("sync-seq-gap-automerge-rs-1009.r32.bin", "automerge.rs:1009", "skips ahead"),
                Arguments.of("sync-actor-index-automerge-rs-870.r22.bin", "automerge.rs:870", "actor index"),
                Arguments.of("sync-elem-actor-index-automerge-rs-856.r56.bin", "automerge.rs:856", "key: actor index"),
                Arguments.of("doc-seq-gap-automerge-rs-1009.r6.bin", "automerge.rs:1009", "skips ahead"),
                Arguments.of("doc-map-key-on-list-op-set-rs-801.r44.bin", "op_set.rs:801", "object id with only an actor"),
                Arguments.of("doc-change-map-key-on-list-op-set-rs-801.r25.bin", "op_set.rs:801", "element id on a map or table"),
                Arguments.of("doc-increment-value-types-rs-265.r36.bin", "types.rs:265", "increment with a value"),
                Arguments.of("doc-unknown-action-types-rs-272.r3.bin", "types.rs:272", "is not 0..7"),
                Arguments.of("doc-counter-overflow-types-rs-508.r9.bin", "types.rs:508", "overlong LEB128"));
    }

    private static byte[] load(String name) throws IOException {
        try (InputStream in = FuzzFindingPinsTest.class.getResourceAsStream("findings/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource findings/" + name);
            }
            return in.readAllBytes();
        }
    }

    private static int receiverOf(String name) {
        String r = name.substring(name.lastIndexOf(".r") + 2, name.length() - ".bin".length());
        return Integer.parseInt(r);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("findings")
    void theCheckRefusesTheFinding(String name, String panicAt, String problem) throws IOException {
        byte[] input = load(name);
        MalformedPayloadException e;
        if (name.startsWith("sync")) {
            byte[] saved = seeds.receivers.get(receiverOf(name));
            Document doc = saved.length == 0 ? new Document() : Document.load(saved);
            try {
                ActorSeqLedger ledger = ActorSeqLedger.of(doc);
                e = assertThrows(MalformedPayloadException.class, () -> SyncMessageCheck.check(input, ledger));
            } finally {
                doc.free();
            }
        } else {
            e = assertThrows(MalformedPayloadException.class, () -> DocumentCheck.check(input));
        }
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("findings")
    void withoutTheCheckTheFindingAbortsNativeCode(String name, String panicAt, String problem) throws Exception {
        byte[] input = load(name);
        Path stdin = tmp.resolve("stdin");
        try (OutputStream f = Files.newOutputStream(stdin); DataOutputStream out = new DataOutputStream(f)) {
            out.writeInt(seeds.receivers.size());
            for (byte[] r : seeds.receivers) {
                out.writeInt(r.length);
                out.write(r);
            }
            out.writeByte(name.startsWith("sync") ? FuzzChild.KIND_SYNC : FuzzChild.KIND_DOC);
            out.writeInt(receiverOf(name));
            out.writeInt(input.length);
            out.write(input);
            out.writeByte(-1);
        }
        Path err = tmp.resolve("stderr");
        Process p = new ProcessBuilder(ChildJvm.command(FuzzChild.class, "raw"))
                .redirectInput(stdin.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(err.toFile())
                .start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("child did not finish in 60 s");
        }
        String stderr = Files.readString(err, StandardCharsets.ISO_8859_1);
        assertNotEquals(0, p.exitValue(), "native code survived " + name + ": " + stderr);
        assertTrue(stderr.contains(panicAt), stderr);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("findings")
    void resourcesAreWhole(String name, String panicAt, String problem) throws IOException {
        assertEquals(false, load(name).length == 0, name);
    }
}
