package io.peat.tck.runner;

import io.peat.spi.PeerAddress;
import io.peat.spi.PeerId;
import io.peat.spi.SyncTransportProvider;
import io.peat.spi.TransportConfig;
import io.peat.tck.Capability;
import io.peat.tck.FaultInjector;
import io.peat.tck.RelayFaults;
import io.peat.tck.TransportFixture;
import io.peat.tck.TcpRelayFaults;
import io.peat.tck.UdpRelayFaults;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A {@link TransportFixture} for a transport found by name on the class path, configured only from
 * the runner's command line.
 *
 * <ul>
 *   <li>With {@link PeerIds#NAMED} (the default) each node name gets a peer id of its own in this
 *       fixture ({@code name-<random>}), so that tests never see each other's peers; the same name
 *       gives the same id for the fixture's life. With {@link PeerIds#TRANSPORT} no id is
 *       configured and each endpoint makes its own (a keyed transport derives it from a fresh key).
 *   <li>Every {@code --property} goes into every {@link TransportConfig}.
 *   <li>The bind address is {@code String.format(pattern, nodeName)}.
 *   <li>Faults: what {@link Settings#network()} says: {@link Network#UDP} dials every endpoint
 *       through a {@link UdpRelayFaults} relay, {@link Network#TCP} through a {@link TcpRelayFaults}
 *       one, and {@link Network#NONE} offers no injector, so the required fault clauses fail with
 *       the kit's own message.
 *   <li>A transport that ships a {@link TransportFixtureFactory} (the in-memory one does, in its
 *       test jar) gets its own fixture instead of this one.
 * </ul>
 *
 * <p>One instance per test; used on the JUnit test thread.
 */
public final class DiscoveredFixture implements TransportFixture, AutoCloseable {


    /**
     * What every fixture of one run shares.
     *
     * @param provider the transport under test
     * @param addressPattern the bind address per node, {@code %s} being the node name
     * @param properties added to every {@link TransportConfig}
     * @param capabilities the optional behaviour the user declares for the transport
     * @param network the relay in front of each endpoint
     * @param peerIds whether the fixture names each node's peer id or leaves it to the transport
     */
    public record Settings(SyncTransportProvider provider, String addressPattern, Map<String, String> properties,
            Set<Capability> capabilities, Network network, PeerIds peerIds) {
        /**
         * Copies the collections; none may be null.
         *
         * @throws IllegalArgumentException when the network is a relay and the address pattern is not {@code host:port}
         */
        public Settings {
            Objects.requireNonNull(provider, "provider");
            Objects.requireNonNull(addressPattern, "addressPattern");
            Objects.requireNonNull(network, "network");
            Objects.requireNonNull(peerIds, "peerIds");
            properties = Map.copyOf(properties);
            capabilities = capabilities.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(capabilities));
            if (network != Network.NONE && !Network.looksLikeHostPort(addressPattern)) {
                throw new IllegalArgumentException("a " + network.optionValue() + " relay needs host:port addresses, and the"
                        + " address pattern is '" + addressPattern + "'");
            }
        }

        /**
         * Settings with the default network ({@link Network#defaultFor}) and {@link PeerIds#NAMED} ids.
         *
         * @param provider the transport under test
         * @param addressPattern the bind address per node, {@code %s} being the node name
         * @param properties added to every {@link TransportConfig}
         * @param capabilities the optional behaviour the user declares for the transport
         */
        public Settings(SyncTransportProvider provider, String addressPattern, Map<String, String> properties,
                Set<Capability> capabilities) {
            this(provider, addressPattern, properties, capabilities,
                    Network.defaultFor(addressPattern), PeerIds.NAMED);
        }

    }

    private final Settings settings;
    private final Map<String, String> suffixes = new ConcurrentHashMap<>();
    private volatile Optional<FaultInjector> faults;
    private final RelayFaults<?> relays;

    /** @param settings what the run was given */
    public DiscoveredFixture(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.relays = switch (settings.network()) {
            case UDP -> new UdpRelayFaults();
            case TCP -> new TcpRelayFaults();
            case NONE -> null;
        };
    }

    @Override
    public PeerAddress dialAddress(PeerId peer, PeerAddress bound) {
        return relays != null ? relays.dialAddress(peer, bound) : bound;
    }

    /** Stops the relays this fixture started, if any. */
    @Override
    public void close() {
        if (relays != null) {
            relays.close();
        }
    }

    @Override
    public SyncTransportProvider provider() {
        return settings.provider();
    }

    @Override
    public TransportConfig config(String nodeName) {
        TransportConfig.Builder b = TransportConfig.builder();
        if (settings.peerIds() == PeerIds.NAMED) {
            b.localPeerId(PeerId.of(unique(nodeName)));
        }
        settings.properties().forEach(b::property);
        return b.build();
    }

    @Override
    public PeerAddress bindAddress(String nodeName) {
        return PeerAddress.of(String.format(settings.addressPattern(), nodeName));
    }

    @Override
    public Optional<FaultInjector> faults() {
        Optional<FaultInjector> f = faults;
        if (f == null) {
            f = Optional.<FaultInjector>ofNullable(relays);
            faults = f;
        }
        return f;
    }

    @Override
    public Set<Capability> capabilities() {
        return settings.capabilities();
    }


    private String unique(String nodeName) {
        String id = nodeName + "-" + suffixes.computeIfAbsent(nodeName, n -> random(6));
        return id.length() <= 255 ? id : id.substring(id.length() - 255);
    }

    private static String random(int hexDigits) {
        StringBuilder sb = new StringBuilder(hexDigits);
        ThreadLocalRandom r = ThreadLocalRandom.current();
        for (int i = 0; i < hexDigits; i++) {
            sb.append(Character.forDigit(r.nextInt(16), 16));
        }
        return sb.toString();
    }

    static String safeName(SyncTransportProvider p) {
        try {
            return p.name();
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    @Override
    public String toString() {
        Map<String, String> shown = new LinkedHashMap<>(settings.properties());
        return "DiscoveredFixture[" + safeName(settings.provider()) + ", address " + settings.addressPattern() + ", network "
                + settings.network().optionValue() + ", properties "
                + shown + ", capabilities " + settings.capabilities() + "]";
    }
}
