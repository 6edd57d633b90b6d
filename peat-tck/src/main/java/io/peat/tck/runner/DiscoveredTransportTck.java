package io.peat.tck.runner;

import io.peat.tck.TransportFixture;
import io.peat.tck.TransportTck;

/**
 * The kit as {@link TckRunner} launches it: a concrete {@link TransportTck} whose fixture is built
 * by the supplier the runner puts in {@link #use} before launching. Each test instance (one per
 * test, JUnit's default life cycle) gets its own fixture, so tests never share peer ids, addresses
 * or in-memory networks.
 *
 * <p>Not meant to be run directly (an IDE or Surefire run fails every test with a message saying
 * so); run {@link TckRunner} instead.
 */
public final class DiscoveredTransportTck extends TransportTck {

    private static volatile java.util.function.Supplier<TransportFixture> fixtures;

    private final TransportFixture fixture;

    /** Called by JUnit once per test. */
    public DiscoveredTransportTck() {
        java.util.function.Supplier<TransportFixture> f = fixtures;
        this.fixture = f == null ? null : f.get();
    }

    /**
     * Sets (or, with null, clears) what the next launched tests run against. Called by the runner
     * before and after it launches the kit; tests read it on the JUnit test thread.
     *
     * @param f makes one fixture per test (the transport's own factory's, or a {@link DiscoveredFixture}), or null
     */
    static void use(java.util.function.Supplier<TransportFixture> f) {
        fixtures = f;
    }

    @Override
    public TransportFixture fixture() {
        if (fixture == null) {
            throw new IllegalStateException("DiscoveredTransportTck runs only under io.peat.tck.runner.TckRunner"
                    + " (java -jar peat-tck-<version>-runner.jar --transport NAME); no transport was set");
        }
        return fixture;
    }
}
