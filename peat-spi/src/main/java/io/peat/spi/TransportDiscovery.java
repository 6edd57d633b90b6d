package io.peat.spi;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Finds {@link SyncTransportProvider}s with {@link ServiceLoader} and picks one.
 *
 * <p>Selection order: the name in {@link TransportConfig#transportName()}; else the system
 * property {@value #TRANSPORT_PROPERTY}; else the available provider with the highest
 * {@link SyncTransportProvider#priority()} (ties broken by name, with a warning). A provider that
 * fails to load, or whose {@code name()}, {@code priority()} or {@code isAvailable()} throws, is
 * reported through {@link System.Logger} and skipped, never fatal.
 *
 * <p>Stateless and thread-safe; every call reloads the providers of the given class loader.
 */
public final class TransportDiscovery {

    /** System property that names the transport to use, e.g. {@code -Dpeat.transport=inmem}. */
    public static final String TRANSPORT_PROPERTY = "peat.transport";

    private static final System.Logger LOG = System.getLogger(TransportDiscovery.class.getName());

    private TransportDiscovery() {
    }

    /**
     * Loads every provider that can be instantiated and answers {@code name()}.
     *
     * @param loader the class loader to search
     * @return the providers found, in ServiceLoader order; broken ones skipped and logged
     */
    public static List<SyncTransportProvider> load(ClassLoader loader) {
        List<SyncTransportProvider> found = new ArrayList<>();
        Iterator<SyncTransportProvider> it = ServiceLoader.load(SyncTransportProvider.class, loader).iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                found.add(it.next());
            } catch (ServiceConfigurationError e) {
                LOG.log(Level.WARNING, "skipping a sync transport provider that failed to load: " + e.getMessage(), e);
            }
        }
        return found;
    }

    /**
     * Selects a provider from the context class loader (or this class's loader when there is none).
     *
     * @param config the endpoint configuration; its transport name, if set, is obeyed
     * @return the selected provider
     * @throws TransportNotFoundException listing the available names when nothing matches
     */
    public static SyncTransportProvider select(TransportConfig config) {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        return select(config, load(cl != null ? cl : TransportDiscovery.class.getClassLoader()));
    }

    /**
     * Selects a provider among the given ones.
     *
     * @param config the endpoint configuration; its transport name, if set, is obeyed
     * @param providers the candidates
     * @return the selected provider
     * @throws TransportNotFoundException listing the available names when nothing matches
     */
    public static SyncTransportProvider select(TransportConfig config, List<SyncTransportProvider> providers) {
        Objects.requireNonNull(config, "config");
        List<Candidate> usable = new ArrayList<>();
        for (SyncTransportProvider p : providers) {
            Candidate.probe(p).ifPresent(usable::add);
        }
        List<String> availableNames = usable.stream().filter(Candidate::available).map(Candidate::name).sorted().toList();

        String requested = config.transportName().or(() -> Optional.ofNullable(System.getProperty(TRANSPORT_PROPERTY)))
                .map(String::trim).filter(s -> !s.isEmpty()).orElse(null);
        if (requested != null) {
            List<Candidate> named = usable.stream().filter(c -> c.name().equals(requested)).toList();
            if (named.size() > 1) {
                LOG.log(Level.WARNING, "several sync transport providers are named '" + requested + "': "
                        + named.stream().map(c -> c.provider().getClass().getName()).toList() + "; using the first available");
            }
            return named.stream().filter(Candidate::available).findFirst().map(Candidate::provider)
                    .orElseThrow(() -> new TransportNotFoundException(requested, availableNames,
                            named.stream().map(Candidate::unavailabilityReason).flatMap(Optional::stream).findFirst().orElse(null)));
        }

        List<Candidate> ranked = usable.stream().filter(Candidate::available)
                .sorted(Comparator.comparingInt(Candidate::priority).reversed().thenComparing(Candidate::name)).toList();
        if (ranked.isEmpty()) {
            throw new TransportNotFoundException(null, availableNames);
        }
        Candidate best = ranked.get(0);
        if (ranked.size() > 1 && ranked.get(1).priority() == best.priority()) {
            LOG.log(Level.WARNING, "sync transports '" + best.name() + "' and '" + ranked.get(1).name()
                    + "' have the same priority " + best.priority() + "; using '" + best.name() + "'. Set -D"
                    + TRANSPORT_PROPERTY + "=NAME to choose.");
        }
        return best.provider();
    }

    /** A provider whose name, priority and availability were read without throwing. */
    private record Candidate(SyncTransportProvider provider, String name, int priority, boolean available) {
        /** @return why it cannot run here, if it says; a provider that throws here says nothing */
        Optional<String> unavailabilityReason() {
            try {
                return provider.unavailabilityReason().filter(r -> !r.isBlank());
            } catch (RuntimeException | LinkageError e) {
                LOG.log(Level.WARNING, "unavailabilityReason() of " + provider.getClass().getName() + " threw " + e, e);
                return Optional.empty();
            }
        }

        static Optional<Candidate> probe(SyncTransportProvider p) {
            try {
                String name = p.name();
                if (name == null || name.isBlank()) {
                    LOG.log(Level.WARNING, "skipping sync transport provider " + p.getClass().getName() + ": blank name()");
                    return Optional.empty();
                }
                return Optional.of(new Candidate(p, name, p.priority(), p.isAvailable()));
            } catch (RuntimeException | LinkageError e) {
                LOG.log(Level.WARNING, "skipping sync transport provider " + p.getClass().getName() + ": " + e, e);
                return Optional.empty();
            }
        }
    }
}
