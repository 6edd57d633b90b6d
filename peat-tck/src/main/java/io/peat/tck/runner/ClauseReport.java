package io.peat.tck.runner;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Collects the kit's results per clause while the JUnit Platform runs it, and writes the report:
 * one line per clause in clause order, failure details, then the summary line
 * {@code TCK <transport>: N passed, N failed, N skipped}.
 *
 * <p>The clause of a test is its method (the nearest ancestor-or-self whose parent is not a method),
 * so all invocations of a parameterized or repeated clause land on one line. Failures outside any
 * clause (the class could not be set up) are reported as errors and count as failed.
 *
 * <p>Called by the launcher on the thread that runs the kit (the kit runs sequentially).
 */
final class ClauseReport implements TestExecutionListener {

    private static final int STACK_LINES = 30;

    private final String transport;
    private final PrintWriter progress;
    private final Map<String, ClauseResult> clauses = new LinkedHashMap<>();
    private final List<String> errors = new ArrayList<>();
    private final List<Throwable> errorCauses = new ArrayList<>();
    private TestPlan plan;
    private int finishedClauses;

    /**
     * @param transport the transport's name, for the summary line
     * @param expected the method-level identifiers of the clauses that will run, so that every one gets a line
     * @param progress where a short line per finished clause goes while the kit runs
     */
    ClauseReport(String transport, List<TestIdentifier> expected, PrintWriter progress) {
        this.transport = transport;
        this.progress = progress;
        for (TestIdentifier id : expected) {
            clauses.put(id.getUniqueId(), newResult(id));
        }
    }

    static ClauseResult newResult(TestIdentifier id) {
        String method = id.getSource().filter(MethodSource.class::isInstance).map(s -> ((MethodSource) s).getMethodName())
                .orElse(id.getDisplayName());
        Optional<ClauseId> clause = ClauseId.fromDisplayName(id.getDisplayName()).or(() -> ClauseId.fromMethodName(method));
        return new ClauseResult(clause, method, id.getDisplayName());
    }

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        this.plan = testPlan;
    }

    @Override
    public void executionSkipped(TestIdentifier id, String reason) {
        Optional<TestIdentifier> clause = clauseOf(id);
        if (clause.isPresent()) {
            result(clause.get()).skipped(reason);
            if (clause.get().equals(id)) {
                clauseDone(clause.get());
            }
        } else if (id.getSource().isPresent()) {
            errors.add(id.getDisplayName() + " was skipped: " + reason);
            errorCauses.add(null);
        }
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult r) {
        Optional<TestIdentifier> clause = clauseOf(id);
        if (clause.isEmpty()) {
            if (r.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                Throwable t = r.getThrowable().orElse(null);
                errors.add(id.getDisplayName() + ": " + (t == null ? r.getStatus().toString() : ClauseResult.firstLine(t)));
                errorCauses.add(t);
            }
            return;
        }
        ClauseResult c = result(clause.get());
        boolean invocation = !clause.get().equals(id);
        switch (r.getStatus()) {
            case SUCCESSFUL -> {
                if (id.isTest()) {
                    c.passed();
                }
            }
            case ABORTED -> {
                if (id.isTest()) {
                    c.skipped(r.getThrowable().map(Throwable::getMessage).orElse("aborted"));
                }
            }
            case FAILED -> c.failed(invocation ? id.getDisplayName() : null,
                    r.getThrowable().orElseGet(() -> new AssertionError("failed without an exception")));
        }
        if (!invocation) {
            clauseDone(clause.get());
        }
    }

    private void clauseDone(TestIdentifier clause) {
        ClauseResult c = result(clause);
        finishedClauses++;
        progress.printf("[%d/%d] %s %s%n", finishedClauses, clauses.size(), c.status(), c.label());
        progress.flush();
    }

    private ClauseResult result(TestIdentifier clause) {
        return clauses.computeIfAbsent(clause.getUniqueId(), k -> newResult(clause));
    }

    /** @return the method-level identifier that {@code id} is, or belongs to */
    private Optional<TestIdentifier> clauseOf(TestIdentifier id) {
        if (!(id.getSource().orElse(null) instanceof MethodSource)) {
            return Optional.empty();
        }
        TestIdentifier cur = id;
        while (plan != null) {
            Optional<TestIdentifier> parent = plan.getParent(cur);
            if (parent.isEmpty() || !(parent.get().getSource().orElse(null) instanceof MethodSource)) {
                break;
            }
            cur = parent.get();
        }
        return Optional.of(cur);
    }

    /** @return the clauses in clause order (tests without a clause id last, by method name) */
    List<ClauseResult> results() {
        List<ClauseResult> list = new ArrayList<>(clauses.values());
        list.sort(Comparator.comparing((ClauseResult c) -> c.id().isEmpty())
                .thenComparing(c -> c.id().orElse(null), Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(ClauseResult::methodName));
        return list;
    }

    /** @return how many clauses have the status */
    int count(ClauseResult.Status status) {
        return (int) clauses.values().stream().filter(c -> c.status() == status).count();
    }

    /** @return failures outside any clause */
    List<String> errors() {
        return List.copyOf(errors);
    }

    /**
     * @return whether the run failed: a required clause failed, an optional clause whose capability
     *     the transport declared failed (a broken promise), or the kit could not run
     */
    boolean failed() {
        return !errors.isEmpty() || clauses.values().stream().anyMatch(c -> c.status() == ClauseResult.Status.FAIL);
    }

    /** @return the summary line, exactly {@code TCK <transport>: N passed, N failed, N skipped} */
    String summary() {
        return "TCK " + transport + ": " + count(ClauseResult.Status.PASS) + " passed, "
                + (count(ClauseResult.Status.FAIL) + errors.size()) + " failed, " + count(ClauseResult.Status.SKIP) + " skipped";
    }

    /**
     * Writes the clause lines, the failure details and the summary line.
     *
     * @param out where to
     */
    void write(PrintWriter out) {
        List<ClauseResult> results = results();
        for (ClauseResult c : results) {
            out.println(c.status() + "  " + (c.required() ? "required" : "optional") + "  " + c.label() + "  " + c.detail());
        }
        for (String e : errors) {
            out.println("FAIL  error     " + e);
        }
        boolean anyFailure = !errors.isEmpty() || results.stream().anyMatch(c -> c.status() == ClauseResult.Status.FAIL);
        if (anyFailure) {
            out.println();
            out.println("Failure details:");
            for (ClauseResult c : results) {
                if (c.status() == ClauseResult.Status.FAIL) {
                    out.println();
                    out.println(c.label() + " " + c.text() + c.failedInvocation().map(i -> " [" + i + "]").orElse("")
                            + " (" + c.invocations() + ")");
                    c.failureCause().ifPresent(t -> out.print(stack(t)));
                }
            }
            for (int i = 0; i < errors.size(); i++) {
                out.println();
                out.println(errors.get(i));
                Throwable t = errorCauses.get(i);
                if (t != null) {
                    out.print(stack(t));
                }
            }
            out.println();
        }
        out.println(summary());
        out.flush();
    }

    private static String stack(Throwable t) {
        StringWriter sw = new StringWriter();
        t.printStackTrace(new PrintWriter(sw));
        StringBuilder sb = new StringBuilder();
        List<String> lines = sw.toString().lines().toList();
        for (int i = 0; i < lines.size() && i < STACK_LINES; i++) {
            sb.append("    ").append(lines.get(i)).append(System.lineSeparator());
        }
        if (lines.size() > STACK_LINES) {
            sb.append("    ... ").append(lines.size() - STACK_LINES).append(" more lines").append(System.lineSeparator());
        }
        return sb.toString();
    }
}
