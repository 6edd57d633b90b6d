package io.peat.tck.runner;

import java.util.Optional;

/**
 * What became of one clause: one line of the report. A parameterized or repeated clause is one
 * result over all its invocations: FAIL when any failed, else PASS when any passed, else SKIP.
 * Mutated by {@link ClauseReport} on the thread that runs the kit.
 */
public final class ClauseResult {

    /** The outcome of a clause. */
    public enum Status {
        /** Every invocation that ran passed. */
        PASS,
        /** At least one invocation failed. */
        FAIL,
        /** Nothing ran to completion: skipped or aborted (an optional clause whose capability is not declared). */
        SKIP
    }

    private final String label;
    private final Optional<ClauseId> id;
    private final boolean required;
    private final String text;
    private final String methodName;
    private int passed;
    private int failed;
    private int skipped;
    private String failure;
    private Throwable failureCause;
    private String failedInvocation;
    private String skipReason;

    ClauseResult(Optional<ClauseId> id, String methodName, String displayName) {
        this.id = id;
        this.methodName = methodName;
        this.required = !methodName.startsWith("optional_");
        this.label = id.map(ClauseId::toString).orElse(methodName);
        String text = displayName.strip();
        if (id.isPresent()) {
            text = text.replaceFirst("^[A-Za-z]\\d+(?:\\.\\d+)*[:\\s]*", "");
        }
        this.text = text;
    }

    void passed() {
        passed++;
    }

    void failed(String invocation, Throwable cause) {
        if (failed++ == 0) {
            failure = firstLine(cause);
            failureCause = cause;
            failedInvocation = invocation;
        }
    }

    void skipped(String reason) {
        if (skipped++ == 0) {
            String r = reason == null ? "" : reason.strip().replaceFirst("^Assumption failed: ", "");
            skipReason = r.isBlank() ? "skipped" : r.lines().findFirst().orElse("skipped");
        }
    }

    /** @return the outcome */
    public Status status() {
        if (failed > 0) {
            return Status.FAIL;
        }
        return passed > 0 ? Status.PASS : Status.SKIP;
    }

    /** @return the clause id, or the method name when the test carries none */
    public String label() {
        return label;
    }

    /** @return the parsed clause id */
    public Optional<ClauseId> id() {
        return id;
    }

    /** @return the test method's name */
    public String methodName() {
        return methodName;
    }

    /** @return whether the clause is required (its method is not {@code optional_...}) */
    public boolean required() {
        return required;
    }

    /** @return the clause text, from the display name */
    public String text() {
        return text;
    }

    /** @return the first failure, when it failed */
    public Optional<Throwable> failureCause() {
        return Optional.ofNullable(failureCause);
    }

    /** @return which invocation failed first, for parameterized and repeated clauses */
    public Optional<String> failedInvocation() {
        return Optional.ofNullable(failedInvocation);
    }

    /** @return passed, failed and skipped invocation counts, e.g. {@code "11 passed"} */
    public String invocations() {
        return passed + " passed, " + failed + " failed, " + skipped + " skipped";
    }

    /** @return the report line's last column: the clause text, the first line of the failure, or the skip reason */
    public String detail() {
        return switch (status()) {
            case PASS -> text;
            case FAIL -> (failedInvocation != null ? failedInvocation + ": " : "") + failure;
            case SKIP -> skipReason != null ? skipReason : "did not run";
        };
    }

    static String firstLine(Throwable t) {
        String msg = t.getMessage();
        String first = msg == null ? "" : msg.strip().lines().findFirst().orElse("");
        if (t instanceof AssertionError && !first.isEmpty()) {
            return first;
        }
        return t.getClass().getSimpleName() + (first.isEmpty() ? "" : ": " + first);
    }
}
