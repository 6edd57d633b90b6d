package io.peat.sync.internal.automerge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A short, deterministic run of {@link NativeFuzzer}: mutated sync messages, documents and SyncBatch
 * entries go through the checks and, when accepted, through Automerge's native code in child JVMs.
 * Fails on any native abort or hang. {@code -Dpeat.fuzz.inputs=N} makes it a long run (see
 * {@code peat-sync/FUZZING.md}); the time limit grows with the number of inputs (10 ms each).
 */
class NativeFuzzTest {

    @Test
    void mutatedPayloadsNeverAbortNativeCode() {
        NativeFuzzer.Config c = NativeFuzzer.configFromProperties();
        long inputs = c.inputsPerKind().values().stream().mapToLong(Long::longValue).sum();
        Map<String, NativeFuzzer.KindResult> results = assertTimeoutPreemptively(
                Duration.ofMillis(120_000 + inputs * 10), () -> new NativeFuzzer(c).run());
        String summary = NativeFuzzer.summary(c, results);
        System.out.println(summary);
        for (Map.Entry<String, NativeFuzzer.KindResult> e : results.entrySet()) {
            NativeFuzzer.KindResult r = e.getValue();
            assertEquals(0, r.aborts + r.hangs, summary);
            assertEquals(r.inputs, r.accepted + r.refused, summary);
            // The fuzzer must reach native code, or it proves nothing.
            assertTrue(r.accepted > r.inputs / 20, "too few inputs reached native code: " + summary);
        }
    }
}
