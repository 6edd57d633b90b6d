package io.peat.tck.selftest;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Optional;
import org.junit.platform.engine.TestExecutionResult;

/**
 * How one clause (or one invocation of a repeated clause) ended in a launch of the kit.
 *
 * @param method the clause's method name
 * @param displayName the clause text
 * @param status SUCCESSFUL, FAILED, ABORTED; null when JUnit skipped it
 * @param failure what it failed or aborted with, if anything
 * @param skipReason why JUnit skipped it, when it did
 */
record ClauseOutcome(String method, String displayName, TestExecutionResult.Status status, Optional<Throwable> failure,
        Optional<String> skipReason) {

    boolean failed() {
        return status == TestExecutionResult.Status.FAILED;
    }

    boolean passed() {
        return status == TestExecutionResult.Status.SUCCESSFUL;
    }

    /** @return the failure's type and message, and those of each cause, one per line; empty if none */
    String failureMessages() {
        StringBuilder out = new StringBuilder();
        for (Throwable t = failure.orElse(null); t != null; t = t.getCause() == t ? null : t.getCause()) {
            out.append(out.length() == 0 ? "" : "\n  caused by ").append(t);
            for (Throwable s : t.getSuppressed()) {
                out.append("\n  suppressed ").append(s);
            }
        }
        return out.toString();
    }

    /** @return the full stack trace of the failure, for diagnosing the harness; empty if none */
    String failureTrace() {
        StringWriter w = new StringWriter();
        failure.ifPresent(t -> t.printStackTrace(new PrintWriter(w)));
        return w.toString();
    }

    @Override
    public String toString() {
        String how = status == null ? "SKIPPED (" + skipReason.orElse("") + ")" : status.toString();
        return method + " [" + displayName + "]: " + how + (failure.isPresent() ? "\n  " + failureMessages() : "");
    }
}
