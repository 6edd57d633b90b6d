package io.peat.tck.selftest;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What one launch of the kit's clauses against one transport gave.
 *
 * @param transport the transport, as its fixture describes it
 * @param clausePrefix the clauses launched
 * @param clauses how each ended
 * @param containerFailures failures around the clauses (class set-up, a repeated clause's container)
 */
record ClauseRun(String transport, String clausePrefix, List<ClauseOutcome> clauses, List<String> containerFailures) {

    /** @return the first clause that failed, if any did */
    Optional<ClauseOutcome> firstFailure() {
        return clauses.stream().filter(ClauseOutcome::failed).findFirst();
    }

    /** @return true when clauses ran and every one passed, with nothing failing around them */
    boolean allPassed() {
        return !clauses.isEmpty() && clauses.stream().allMatch(ClauseOutcome::passed) && containerFailures.isEmpty();
    }

    @Override
    public String toString() {
        return clausePrefix + "* against " + transport + ":\n"
                + (clauses.isEmpty() ? "  no clause ran\n" : clauses.stream().map(c -> "  " + c + "\n").collect(Collectors.joining()))
                + containerFailures.stream().map(f -> "  around them: " + f + "\n").collect(Collectors.joining());
    }
}
