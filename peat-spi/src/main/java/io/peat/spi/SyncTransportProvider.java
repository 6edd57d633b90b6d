package io.peat.spi;

/**
 * A transport implementation, found with {@link java.util.ServiceLoader}. Register it in
 * {@code META-INF/services/io.peat.spi.SyncTransportProvider} and, for the module path, with
 * {@code provides io.peat.spi.SyncTransportProvider with ...} in {@code module-info.java}.
 *
 * <p>Implementations need a public no-argument constructor that does no I/O. {@link #name()},
 * {@link #priority()} and {@link #isAvailable()} must never throw; {@link TransportDiscovery} may
 * call them from any thread.
 */
public interface SyncTransportProvider {

    /** @return the unique, stable name users select this transport by, e.g. {@code inmem} */
    String name();

    /**
     * @return the preference among available providers when none is named: higher wins. Network
     *     transports use 5..10; the in-memory transport uses 1.
     */
    int priority();

    /**
     * @return whether this transport can run here (its native library loads, its dependencies are
     *     present); a provider that is not available is never selected
     */
    boolean isAvailable();

    /**
     * Says why {@link #isAvailable()} is false: what is missing here and how to fix it (the artifact
     * or platform needed). {@link TransportDiscovery} puts it in the error a user gets for naming
     * this transport. Must never throw; asked only when {@link #isAvailable()} is false.
     *
     * @return the reason, or empty when the provider cannot tell (the default)
     */
    default java.util.Optional<String> unavailabilityReason() {
        return java.util.Optional.empty();
    }

    /**
     * Says what the transport's connections run over, for tools that stand between endpoints (the
     * kit's runner puts a UDP or TCP fault relay in front of each endpoint by it). Must never throw.
     *
     * @return the network; {@link TransportNetwork#OTHER} when not declared (the default)
     */
    default TransportNetwork network() {
        return TransportNetwork.OTHER;
    }

    /**
     * Creates an endpoint. It does not listen until {@link SyncTransport#listen} is called.
     *
     * @param config the endpoint's configuration
     * @param listener receives inbound connections and peer-opened streams for the endpoint's whole life
     * @return the new endpoint
     * @throws ConfigException when a configuration value is missing or malformed
     */
    SyncTransport create(TransportConfig config, TransportListener listener);
}
