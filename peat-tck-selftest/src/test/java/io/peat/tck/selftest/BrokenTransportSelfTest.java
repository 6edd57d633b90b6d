package io.peat.tck.selftest;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.peat.tck.TransportFixture;
import io.peat.tck.selftest.broken.Breakage;
import io.peat.tck.selftest.broken.NullNetworkProvider;
import io.peat.transport.inmem.tck.InMemoryFixture;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The kit catches each deliberately broken transport: the clause the breakage breaks fails, and its
 * message says what went wrong. {@link WorkingTransportControlTest} shows the same clauses pass when
 * nothing is broken.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES) // above the kit's own 300 s per clause
class BrokenTransportSelfTest {

    /** Each breakage, the clauses that must catch it, and the words that say what went wrong. */
    static final List<ExpectedCatch> EXPECTED_CATCHES = List.of(
            ExpectedCatch.of(Breakage.DROP_LAST_WRITE_BEFORE_FIN, "T3.2", "lost"),
            ExpectedCatch.of(Breakage.REORDER_WRITES, "T3.1", "out of order"),
            ExpectedCatch.of(Breakage.REORDER_WRITES, "T3.6", "out of order"),
            ExpectedCatch.of(Breakage.DUPLICATE_A_WRITE, "T3.6", "twice"),
            ExpectedCatch.of(Breakage.DUPLICATE_A_WRITE, "T3.1", "twice"),
            ExpectedCatch.of(Breakage.SWALLOW_CLOSE, "T4.2", "did not complete", "should have failed with ConnectionClosedException"),
            ExpectedCatch.of(Breakage.NEVER_COMPLETE_WRITE, "T3.6", "did not complete"),
            ExpectedCatch.of(Breakage.NEVER_COMPLETE_WRITE, "T4.1", "did not complete"),
            ExpectedCatch.of(Breakage.WRONG_PEER_ID, "T2.2", "impostor"),
            ExpectedCatch.of(Breakage.TEAR_CONCURRENT_WRITES, "T3.10", "torn"),
            ExpectedCatch.of(Breakage.REUSE_READ_BUFFER, "T6.1", "buffers", "reuses", "differs"),
            ExpectedCatch.of(Breakage.ACCEPT_WRITE_AFTER_FINISH, "T6.2", "after its finish", "IllegalStateException"),
            ExpectedCatch.of(Breakage.FINISH_ONLY_ONCE, "T6.3", "second finish()", "failed"),
            ExpectedCatch.of(Breakage.NEVER_COMPLETE_EMPTY_WRITE, "T6.4", "empty write", "did not complete"),
            ExpectedCatch.of(Breakage.QUEUE_SECOND_READ, "T6.5", "second read()", "IllegalStateException"),
            ExpectedCatch.of(Breakage.CROSS_TALK_UNDER_LOAD, "T6.6", "cross-talk"),
            ExpectedCatch.of(Breakage.NEW_PEER_ID_ON_REDIAL, "T6.7", "names another peer", "impostor"),
            ExpectedCatch.of(Breakage.NO_DEAD_PEER_DETECTION, "T4.3", "went silent", "does not notice a dead peer"),
            // Within the self-test's 10 s await only the transport's idle timeout can save S4.3 (the sync layer's own
            // partition detection takes 15 s).
            ExpectedCatch.of(Breakage.NO_DEAD_PEER_DETECTION, "S4.3", "timed out", "went silent"),
            ExpectedCatch.of(Breakage.HOLD_UP_OTHER_STREAMS, "T6.8", "first write on its new stream", "did not complete"),
            ExpectedCatch.of(Breakage.LISTEN_ON_ADDRESS_IN_USE, "T2.6", "listen()", "completed normally", "TransportException"),
            ExpectedCatch.of(Breakage.CLIP_CLOSE_REASON, "T2.7", "reason", "a got"),
            ExpectedCatch.of(Breakage.THROW_ON_MALFORMED_ADDRESS, "T2.8", "threw", "never be thrown"),
            ExpectedCatch.of(Breakage.CLIP_PEER_ID, "T2.9", "the listener", "saw", "expected"));

    static Stream<ExpectedCatch> expectedCatches() {
        return EXPECTED_CATCHES.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("expectedCatches")
    void brokenTransportFailsTheClauseItBreaks(ExpectedCatch expected) {
        ClauseRun run = ClauseLauncher.run(SelfTestFixture.broken(expected.breakage()), expected.clausePrefix());

        ClauseOutcome failed = run.firstFailure()
                .orElseGet(() -> fail("the kit missed " + expected.breakage() + ": clause " + expected.clause() + " did not fail.\n" + run));
        System.out.println("[caught] " + expected + " (" + failed.method() + "): " + failed.failureMessages());
        assertTrue(expected.isExplainedBy(failed.failureMessages()), () -> "clause " + expected.clause() + " failed against "
                + expected.breakage() + ", but its message lacks some of " + expected.evidence() + ":\n" + failed.failureMessages()
                + "\n--- trace ---\n" + failed.failureTrace());
    }

    @Test
    void aProviderWhoseNetworkIsNullFailsT1_4() {
        TransportFixture fixture = new InMemoryFixture("the in-memory transport behind a provider with a null network()",
                NullNetworkProvider::new);
        ClauseRun run = ClauseLauncher.run(fixture, "required_T1_4");

        ClauseOutcome failed = run.firstFailure().orElseGet(() -> fail("the kit missed a null network(): T1.4 did not fail.\n" + run));
        System.out.println("[caught] null network() by T1.4: " + failed.failureMessages());
        assertTrue(failed.failureMessages().contains("network()") && failed.failureMessages().contains("returned null"),
                failed.failureMessages());
    }
}
