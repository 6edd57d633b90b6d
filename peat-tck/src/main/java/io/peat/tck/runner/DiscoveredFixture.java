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
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
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
 *   <li>Each node name gets a peer id of its own in this fixture ({@code name-<random>}), so that
 *       tests never see each other's peers; the same name gives the same id for the fixture's life.
 *   <li>Every {@code --property} goes into every {@link TransportConfig}.
 *   <li>The bind address is {@code String.format(pattern, nodeName)}; for the {@code inmem}
 *       transport it is the node name with a random suffix, on a fresh private network
 *       ({@code inmem.network}) per fixture.
 *   <li>Faults: for {@code inmem}, {@code io.peat.transport.inmem.InMemoryNetwork} is adapted
 *       through reflection (the kit does not depend on it), whatever the settings' network. Other
 *       transports get what {@link Settings#network()} says: {@link Network#UDP} dials every
 *       endpoint through the kit's {@link UdpRelayFaults}, {@link Network#TCP} through its
 *       {@link TcpRelayFaults} (a loopback relay in front of each endpoint that can cut the path),
 *       and {@link Network#NONE} dials endpoints directly with no injector, so the required fault
 *       clauses fail with the kit's own message.
 * </ul>
 *
 * <p>One instance per test; used on the JUnit test thread.
 */
public final class DiscoveredFixture implements TransportFixture, AutoCloseable {

    /** The name of the in-memory transport, whose network the fixture can break. */
    public static final String INMEM = "inmem";
    /** The in-memory transport's property naming its network. */
    public static final String INMEM_NETWORK_PROPERTY = "inmem.network";
    private static final String INMEM_NETWORK_CLASS = "io.peat.transport.inmem.InMemoryNetwork";

    /**
     * What every fixture of one run shares.
     *
     * @param provider the transport under test
     * @param addressPattern the bind address per node, {@code %s} being the node name
     * @param properties added to every {@link TransportConfig}
     * @param capabilities the optional behaviour the user declares for the transport
     * @param network the relay in front of each endpoint (ignored for {@code inmem})
     */
    public record Settings(SyncTransportProvider provider, String addressPattern, Map<String, String> properties,
            Set<Capability> capabilities, Network network) {
        /**
         * Copies the collections; none may be null.
         *
         * @throws IllegalArgumentException when the network is a relay and the address pattern is not {@code host:port}
         */
        public Settings {
            Objects.requireNonNull(provider, "provider");
            Objects.requireNonNull(addressPattern, "addressPattern");
            Objects.requireNonNull(network, "network");
            properties = Map.copyOf(properties);
            capabilities = capabilities.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(capabilities));
            if (network != Network.NONE && !INMEM.equals(safeName(provider)) && !Network.looksLikeHostPort(addressPattern)) {
                throw new IllegalArgumentException("a " + network.optionValue() + " relay needs host:port addresses, and the"
                        + " address pattern is '" + addressPattern + "'");
            }
        }

        /**
         * Settings with the default network ({@link Network#defaultFor}).
         *
         * @param provider the transport under test
         * @param addressPattern the bind address per node, {@code %s} being the node name
         * @param properties added to every {@link TransportConfig}
         * @param capabilities the optional behaviour the user declares for the transport
         */
        public Settings(SyncTransportProvider provider, String addressPattern, Map<String, String> properties,
                Set<Capability> capabilities) {
            this(provider, addressPattern, properties, capabilities,
                    Network.defaultFor(INMEM.equals(safeName(provider)), addressPattern));
        }

        /** @return whether the transport is the in-memory one */
        public boolean isInMemory() {
            return INMEM.equals(safeName(provider));
        }
    }

    private final Settings settings;
    private final boolean inMemory;
    private final String network;
    private final Map<String, String> suffixes = new ConcurrentHashMap<>();
    private volatile Optional<FaultInjector> faults;
    private final RelayFaults<?> relays;

    /** @param settings what the run was given */
    public DiscoveredFixture(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.inMemory = settings.isInMemory();
        this.network = inMemory ? "tck-runner-" + random(12) : null;
        this.relays = inMemory ? null : switch (settings.network()) {
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
        TransportConfig.Builder b = TransportConfig.builder().localPeerId(PeerId.of(unique(nodeName)));
        settings.properties().forEach(b::property);
        if (inMemory) {
            b.property(INMEM_NETWORK_PROPERTY, network);
        }
        return b.build();
    }

    @Override
    public PeerAddress bindAddress(String nodeName) {
        if (inMemory) {
            return PeerAddress.of(unique(nodeName));
        }
        return PeerAddress.of(String.format(settings.addressPattern(), nodeName));
    }

    @Override
    public Optional<FaultInjector> faults() {
        Optional<FaultInjector> f = faults;
        if (f == null) {
            f = inMemory ? inMemoryFaults(settings.provider(), network) : Optional.<FaultInjector>ofNullable(relays);
            faults = f;
        }
        return f;
    }

    @Override
    public Set<Capability> capabilities() {
        return settings.capabilities();
    }

    /** @return the in-memory network of this fixture, or empty for other transports */
    public Optional<String> inMemoryNetwork() {
        return Optional.ofNullable(network);
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

    /**
     * Adapts the in-memory network's fault API, found next to the provider, without a compile-time
     * dependency on it.
     *
     * @param provider the in-memory provider
     * @param network the network's name
     * @return the injector, or empty when the provider's class loader has no {@code InMemoryNetwork}
     * @throws IllegalStateException when it is there but its methods do not match
     */
    static Optional<FaultInjector> inMemoryFaults(SyncTransportProvider provider, String network) {
        Class<?> c;
        try {
            c = Class.forName(INMEM_NETWORK_CLASS, true, provider.getClass().getClassLoader());
        } catch (ClassNotFoundException e) {
            return Optional.empty();
        }
        Method named;
        Method kill;
        Method killAfter;
        Method silence;
        try {
            named = c.getMethod("named", String.class);
            kill = c.getMethod("killConnections", PeerId.class, PeerId.class);
            killAfter = c.getMethod("killConnectionsAfterBytes", PeerId.class, PeerId.class, long.class);
            silence = c.getMethod("silenceConnections", PeerId.class, PeerId.class);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(INMEM_NETWORK_CLASS + " from " + c.getProtectionDomain().getCodeSource()
                    + " lacks " + e.getMessage() + ", or sees another io.peat.spi.PeerId than the runner: put peat-spi"
                    + " on the class path only once", e);
        }
        Object net = invoke(named, null, network);
        return Optional.of(new FaultInjector() {
            @Override
            public void killConnections(PeerId a, PeerId b) {
                invoke(kill, net, a, b);
            }

            @Override
            public void killConnectionsAfterBytes(PeerId from, PeerId to, long bytes) {
                invoke(killAfter, net, from, to, bytes);
            }

            @Override
            public void silenceConnections(PeerId a, PeerId b) {
                invoke(silence, net, a, b);
            }

            @Override
            public String toString() {
                return "InMemoryNetwork[" + network + "] (through reflection)";
            }
        });
    }

    private static Object invoke(Method m, Object target, Object... args) {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(m + " failed", cause);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot call " + m + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        Map<String, String> shown = new LinkedHashMap<>(settings.properties());
        if (network != null) {
            shown.put(INMEM_NETWORK_PROPERTY, network);
        }
        return "DiscoveredFixture[" + safeName(settings.provider()) + ", address " + settings.addressPattern() + ", network "
                + settings.network().optionValue() + ", properties "
                + shown + ", capabilities " + settings.capabilities() + "]";
    }
}
