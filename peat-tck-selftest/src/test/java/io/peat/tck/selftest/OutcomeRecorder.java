package io.peat.tck.selftest;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Records how each clause of a launch ended, and any container (the class, a repeated clause) that
 * failed around them. Called by the launcher on the thread that runs the kit; read after the launch.
 */
final class OutcomeRecorder implements TestExecutionListener {
    private final List<ClauseOutcome> clauses = new ArrayList<>();
    private final List<String> containerFailures = new ArrayList<>();

    @Override
    public synchronized void executionSkipped(TestIdentifier id, String reason) {
        clauses.add(new ClauseOutcome(methodName(id), id.getDisplayName(), null, Optional.empty(), Optional.of(reason)));
    }

    @Override
    public synchronized void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (id.isTest()) {
            clauses.add(new ClauseOutcome(methodName(id), id.getDisplayName(), result.getStatus(), result.getThrowable(), Optional.empty()));
        } else if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
            containerFailures.add(id.getDisplayName() + ": " + result.getStatus() + " " + result.getThrowable().map(Throwable::toString).orElse(""));
        }
    }

    private static String methodName(TestIdentifier id) {
        return id.getSource().filter(MethodSource.class::isInstance).map(s -> ((MethodSource) s).getMethodName()).orElse(id.getDisplayName());
    }

    synchronized List<ClauseOutcome> clauses() {
        return List.copyOf(clauses);
    }

    synchronized List<String> containerFailures() {
        return List.copyOf(containerFailures);
    }
}
