package io.peat.tck.selftest;

import io.peat.tck.TransportFixture;
import io.peat.tck.selftest.broken.Breakage;
import io.peat.tck.selftest.broken.BrokenTransportProvider;
import io.peat.transport.inmem.InMemoryTransportProvider;
import io.peat.transport.inmem.tck.InMemoryFixture;

/**
 * The transports the self-test hands the kit: the in-memory transport's own kit fixture (from its
 * test-jar), either as it is or broken by a {@link Breakage}.
 */
final class SelfTestFixture {
    private SelfTestFixture() {
    }

    /** @return the in-memory transport, unwrapped */
    static TransportFixture working() {
        return new InMemoryFixture();
    }

    /**
     * @param breakage how to break it
     * @return the in-memory transport behind a {@link BrokenTransportProvider}
     */
    static TransportFixture broken(Breakage breakage) {
        return new InMemoryFixture("the in-memory transport broken by " + breakage,
                () -> new BrokenTransportProvider(new InMemoryTransportProvider(), breakage), breakage.configuredIdleTimeout());
    }
}
