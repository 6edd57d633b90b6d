package io.peat.tck.selftest;

import io.peat.tck.selftest.broken.Breakage;
import java.util.List;
import java.util.Locale;

/**
 * A breakage, a clause that must catch it, and the words its failure message must contain (every one
 * of them, case ignored) to say what went wrong.
 *
 * @param breakage how the transport is broken
 * @param clause the clause id, e.g. {@code T3.2}
 * @param evidence words the failure message must all contain
 */
record ExpectedCatch(Breakage breakage, String clause, List<String> evidence) {

    static ExpectedCatch of(Breakage breakage, String clause, String... evidence) {
        return new ExpectedCatch(breakage, clause, List.of(evidence));
    }

    /** @return the start of the clause's method name, e.g. {@code required_T3_2_} */
    String clausePrefix() {
        return clausePrefix(clause);
    }

    static String clausePrefix(String clause) {
        String id = clause.replace('.', '_') + "_";
        return (OPTIONAL.contains(clause) ? "optional_" : "required_") + id;
    }

    /** The optional clauses a breakage is caught by (run with the capability the self-test fixture declares). */
    private static final java.util.Set<String> OPTIONAL = java.util.Set.of("T2.5", "T2.7", "T3.9");

    /**
     * @param message a failure message
     * @return true when it contains every evidence word
     */
    boolean isExplainedBy(String message) {
        String m = message.toLowerCase(Locale.ROOT);
        return evidence.stream().allMatch(w -> m.contains(w.toLowerCase(Locale.ROOT)));
    }

    @Override
    public String toString() {
        return breakage + " caught by " + clause;
    }
}
