package io.peat.tck.selftest;

import io.peat.tck.TransportFixture;
import java.util.Optional;

/**
 * The fixture {@link BrokenTck} runs against, installed by {@link ClauseLauncher} for one launch.
 * The launcher runs the kit on the installing thread, one launch at a time.
 */
final class InstalledFixture {
    private static volatile TransportFixture current;

    private InstalledFixture() {
    }

    /**
     * @param fixture the fixture for the next launch
     * @return uninstalls it when closed
     * @throws IllegalStateException when another launch has a fixture installed
     */
    static Installation install(TransportFixture fixture) {
        synchronized (InstalledFixture.class) {
            if (current != null) {
                throw new IllegalStateException("a kit launch against " + current + " is still running; launches run one at a time");
            }
            current = fixture;
        }
        return () -> current = null;
    }

    /** @return the installed fixture, if a launch is running */
    static Optional<TransportFixture> get() {
        return Optional.ofNullable(current);
    }

    /** Uninstalls the fixture when closed. */
    interface Installation extends AutoCloseable {
        @Override
        void close();
    }
}
