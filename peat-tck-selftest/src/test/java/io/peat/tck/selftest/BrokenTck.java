package io.peat.tck.selftest;

import io.peat.tck.TransportFixture;
import io.peat.tck.TransportTck;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;

/**
 * The kit, run by {@link ClauseLauncher} against whatever fixture it installed. Not a test of its
 * own (its name keeps Surefire away); launched any other way, every clause is skipped.
 */
class BrokenTck extends TransportTck {

    @BeforeEach
    void requireInstalledFixture() {
        Assumptions.assumeTrue(InstalledFixture.get().isPresent(), "BrokenTck runs only when launched by the self-test's ClauseLauncher");
    }

    @Override
    public TransportFixture fixture() {
        return InstalledFixture.get().orElseThrow(() -> new IllegalStateException("no fixture installed: launch BrokenTck through ClauseLauncher"));
    }
}
