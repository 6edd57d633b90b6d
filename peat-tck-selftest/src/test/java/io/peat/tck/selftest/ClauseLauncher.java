package io.peat.tck.selftest;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;
import static org.junit.platform.launcher.EngineFilter.includeEngines;

import io.peat.tck.TransportFixture;
import java.lang.reflect.Method;
import java.util.List;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs chosen clauses of the kit against a fixture through the JUnit Platform Launcher, on the
 * calling thread, and reports how each ended. Every wait in the kit is bounded by
 * {@value #AWAIT} for the launch (so a hung operation fails a clause quickly), and each clause by
 * the kit's own {@code @Timeout}.
 */
final class ClauseLauncher {
    /** The kit's per-wait budget during a launch: generous for the in-memory transport, short for a hang. */
    static final String AWAIT = "PT10S";

    private ClauseLauncher() {
    }

    /**
     * @param fixture the transport to run the clauses against
     * @param clausePrefix the start of the clause method names, e.g. {@code required_T3_2_}
     * @return how each clause ended
     * @throws AssertionError when the kit has no clause with that prefix
     */
    static ClauseRun run(TransportFixture fixture, String clausePrefix) {
        List<Method> clauses = KitClauses.named(clausePrefix);
        if (clauses.isEmpty()) {
            throw new AssertionError("the kit has no clause whose method name starts with " + clausePrefix
                    + " in the clause groups of TransportTck: is it written yet?");
        }
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(clauses.stream().map(m -> selectMethod(BrokenTck.class, m)).toList())
                .filters(includeEngines("junit-jupiter"))
                .build();
        OutcomeRecorder recorder = new OutcomeRecorder();
        try (ScopedSystemProperty await = ScopedSystemProperty.set("peat.tck.await", AWAIT);
                InstalledFixture.Installation installed = InstalledFixture.install(fixture)) {
            LauncherFactory.create().execute(request, recorder);
        }
        return new ClauseRun(fixture.toString(), clausePrefix, recorder.clauses(), recorder.containerFailures());
    }
}
