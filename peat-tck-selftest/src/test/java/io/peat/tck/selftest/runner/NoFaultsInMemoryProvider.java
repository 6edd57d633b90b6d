package io.peat.tck.selftest.runner;

import io.peat.tck.selftest.broken.RenamedInMemoryProvider;

/**
 * The in-memory transport under another name, so that the runner treats it as an unknown
 * transport: no {@code FaultInjector}, addresses from {@code --address}. Registered only through a
 * services file the test writes into a {@code --classpath} directory.
 */
public final class NoFaultsInMemoryProvider extends RenamedInMemoryProvider {
    /** The name the runner is given. */
    public static final String NAME = "inmem-nofaults";

    /** For {@link java.util.ServiceLoader}. */
    public NoFaultsInMemoryProvider() {
        super(NAME, 0);
    }
}
