package io.peat.tck.selftest;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peat.tck.selftest.broken.Breakage;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The control for {@link BrokenTransportSelfTest}: every clause it expects to fail passes, through
 * the same launcher, against the working in-memory transport, both as it is and behind the
 * breakage wrappers with nothing broken ({@link Breakage#NONE}). So a failure there comes from the
 * breakage, not from the harness or the wrappers.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES) // above the kit's own 300 s per clause
class WorkingTransportControlTest {

    static Stream<String> targetedClauses() {
        return BrokenTransportSelfTest.EXPECTED_CATCHES.stream().map(ExpectedCatch::clause).distinct().sorted();
    }

    @ParameterizedTest(name = "{0} passes against the in-memory transport")
    @MethodSource("targetedClauses")
    void clausePassesAgainstTheWorkingTransport(String clause) {
        ClauseRun run = ClauseLauncher.run(SelfTestFixture.working(), ExpectedCatch.clausePrefix(clause));
        assertTrue(run.allPassed(), () -> "clause " + clause + " does not pass against the working transport:\n" + run + trace(run));
    }

    @ParameterizedTest(name = "{0} passes against the in-memory transport behind wrappers that break nothing")
    @MethodSource("targetedClauses")
    void clausePassesBehindTransparentWrappers(String clause) {
        ClauseRun run = ClauseLauncher.run(SelfTestFixture.broken(Breakage.NONE), ExpectedCatch.clausePrefix(clause));
        assertTrue(run.allPassed(), () -> "clause " + clause + " does not pass behind wrappers that break nothing:\n" + run + trace(run));
    }

    private static String trace(ClauseRun run) {
        return run.firstFailure().map(f -> "--- trace ---\n" + f.failureTrace()).orElse("");
    }
}
