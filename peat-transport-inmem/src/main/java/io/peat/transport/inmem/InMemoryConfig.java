package io.peat.transport.inmem;

import io.peat.spi.ConfigException;
import io.peat.spi.PeerId;
import io.peat.spi.TransportConfig;
import java.util.UUID;

/**
 * The in-memory transport's reading of a {@link TransportConfig}. Immutable.
 *
 * @param networkName property {@value #NETWORK}: the {@link InMemoryNetwork} to join (default
 *     {@value InMemoryNetwork#DEFAULT_NAME})
 * @param windowBytes property {@value #WINDOW}: the flow-control window of each stream direction
 *     (default 1 MiB)
 * @param localPeerId the configured peer id, or {@code inmem-<random UUID>}
 * @param idleTimeout property {@value #IDLE_TIMEOUT}: how long a connection may carry nothing at
 *     all (only a silenced one does, {@link InMemoryNetwork#silenceConnections}) before this endpoint
 *     closes it as lost, as QUIC's idle timeout does (default 5 s; 0 never)
 */
record InMemoryConfig(String networkName, long windowBytes, PeerId localPeerId, java.time.Duration idleTimeout) {

    static final String NETWORK = "inmem.network";
    static final String WINDOW = "inmem.streamWindowBytes";
    static final int DEFAULT_WINDOW = 1024 * 1024;
    static final String IDLE_TIMEOUT = "inmem.idleTimeout";
    static final java.time.Duration DEFAULT_IDLE_TIMEOUT = java.time.Duration.ofSeconds(5);

    /**
     * @param config the endpoint configuration
     * @return the parsed configuration
     * @throws ConfigException naming the property when a value is blank or out of range
     */
    static InMemoryConfig from(TransportConfig config) {
        String network = config.property(NETWORK).map(String::trim).orElse(InMemoryNetwork.DEFAULT_NAME);
        if (network.isEmpty()) {
            throw new ConfigException("property " + NETWORK + " is blank; give a network name such as '"
                    + InMemoryNetwork.DEFAULT_NAME + "' or leave it unset");
        }
        int window = config.intProperty(WINDOW, DEFAULT_WINDOW);
        if (window < 1) {
            throw new ConfigException("property " + WINDOW + "='" + window + "' must be at least 1; give a byte count such as "
                    + DEFAULT_WINDOW);
        }
        java.time.Duration idle = config.durationProperty(IDLE_TIMEOUT, DEFAULT_IDLE_TIMEOUT);
        if (idle.isNegative()) {
            throw new ConfigException("property " + IDLE_TIMEOUT + "='" + idle + "' must not be negative; 0 never times out, e.g. 5s");
        }
        PeerId peer = config.localPeerId().orElseGet(() -> PeerId.of("inmem-" + UUID.randomUUID()));
        return new InMemoryConfig(network, window, peer, idle);
    }
}
