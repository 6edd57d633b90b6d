package io.peat.tck.runner;

import io.peat.tck.TransportFixture;
import io.peat.tck.TransportTck;

/**
 * The kit as {@link TckRunner} launches it: a concrete {@link TransportTck} whose fixture is built
 * from the settings the runner puts in {@link #use} before launching. Each test instance (one per
 * test, JUnit's default life cycle) gets its own {@link DiscoveredFixture}, so tests never share
 * peer ids, addresses or in-memory networks.
 *
 * <p>Not meant to be run directly (an IDE or Surefire run fails every test with a message saying
 * so); run {@link TckRunner} instead.
 */
public final class DiscoveredTransportTck extends TransportTck {

    private static volatile DiscoveredFixture.Settings settings;

    private final TransportFixture fixture;

    /** Called by JUnit once per test. */
    public DiscoveredTransportTck() {
        DiscoveredFixture.Settings s = settings;
        this.fixture = s == null ? null : new DiscoveredFixture(s);
    }

    /**
     * Sets (or, with null, clears) what the next launched tests run against. Called by the runner
     * before and after it launches the kit; tests read it on the JUnit test thread.
     *
     * @param s the transport and options, or null
     */
    static void use(DiscoveredFixture.Settings s) {
        settings = s;
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
