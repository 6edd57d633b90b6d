package io.peat.tck.runner;

import io.peat.tck.TransportFixture;

/**
 * How a transport ships its own kit fixture to the runner (Way 2), with no code in the runner: the
 * runner finds implementations with {@link java.util.ServiceLoader} on its {@code --classpath}
 * (register one in {@code META-INF/services/io.peat.tck.runner.TransportFixtureFactory} of the
 * transport's jar or test jar) and, when one names the transport under test, runs every clause
 * against the fixtures it makes instead of the runner's generic {@link DiscoveredFixture}. The
 * fixture then decides addresses, faults, capabilities and the declared idle timeout; the runner's
 * {@code --address}, {@code --network} and {@code --capability} reach it through the settings, to
 * use or ignore. The in-memory transport's is {@code InMemoryFixtureFactory} in its test jar.
 *
 * <p>Implementations need a public no-argument constructor. Called on the JUnit test thread.
 */
public interface TransportFixtureFactory {

    /** @return the {@code name()} of the transport this factory's fixtures are for */
    String transportName();

    /**
     * @param settings what the runner was given (the provider it found, options and capabilities)
     * @return a fresh fixture for one test; one that is {@link AutoCloseable} is closed after the test
     */
    TransportFixture create(DiscoveredFixture.Settings settings);
}
