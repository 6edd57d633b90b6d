package io.peat.tck.runner;

import io.peat.spi.SyncTransportProvider;
import io.peat.spi.TransportDiscovery;
import io.peat.tck.Capability;
import io.peat.tck.TransportFixture;
import io.peat.tck.TckTimeouts;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.IllegalFormatException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the conformance kit against a transport found by name, with no code to write:
 *
 * <pre>
 * java -jar peat-tck-&lt;version&gt;-runner.jar --transport NAME --classpath my-transport.jar[:its-deps.jar...]
 * </pre>
 *
 * <p>Loads {@code --classpath} into a class loader under the runner's, finds the provider with
 * {@link TransportDiscovery#load(ClassLoader)}, runs {@link DiscoveredTransportTck} on the JUnit
 * Platform and prints one line per clause, then {@code TCK <transport>: N passed, N failed, N skipped}.
 * Exit code 0 when no required clause failed, 1 when one did, 2 for a usage error (unknown
 * transport, bad option).
 *
 * <p>One run at a time per JVM (the kit's fixture and {@code peat.tck.await} are process-wide);
 * {@link #run} serialises callers.
 */
@Command(name = "peat-tck", sortOptions = false, usageHelpAutoWidth = true,
        description = {"Runs the peat-java transport conformance kit (peat-tck/CONTRACT.md) against a transport found by name.",
                "Exit code: 0 no required clause failed, 1 a required clause failed, 2 usage error."})
public final class TckRunner implements Callable<Integer> {

    /** Exit code when no required clause failed. */
    public static final int OK = 0;
    /** Exit code when a required clause failed (or the kit could not run). */
    public static final int FAILED = 1;
    /** Exit code for a usage error: bad option, unknown transport, nothing selected. */
    public static final int USAGE = 2;

    private static final Object RUN_LOCK = new Object();

    @Option(names = "--transport", required = true, paramLabel = "NAME",
            description = "The transport to test: the name() of its SyncTransportProvider, e.g. inmem.")
    String transport;

    @Option(names = "--classpath", paramLabel = "PATHS",
            description = "Jars and directories holding the transport and its dependencies, separated by '${sys:path.separator}'"
                    + " (dir/* = every jar in dir). Not needed when the transport is already on the runner's class path.")
    String classpath;

    @Option(names = "--address", paramLabel = "PATTERN", defaultValue = "127.0.0.1:0",
            description = "Bind address of each node, %%s being the node name (default: ${DEFAULT-VALUE})."
                    + " Left to the fixture of a transport that ships a TransportFixtureFactory (inmem, netty and kwik do, in their test jars).")
    String address;

    @Option(names = "--network", paramLabel = "udp|tcp|none",
            description = "What goes in front of each endpoint so the fault clauses (S4) can kill connections: a loopback"
                    + " udp or tcp relay, or none (no relay, no fault injector). Default: the network the provider declares"
                    + " (SyncTransportProvider.network(): UDP or TCP) when --address is host:port; udp for a provider that"
                    + " declares none; else none. Left to the fixture of a transport that ships a TransportFixtureFactory.")
    String network;

    @Option(names = "--peer-ids", paramLabel = "named|transport",
            description = "Who names each node: named (default) configures a peer id 'node-<random>' per node; transport"
                    + " configures none, for transports that derive their id from a key (QUIC with certificates).")
    String peerIds;

    @Option(names = "--property", paramLabel = "KEY=VALUE",
            description = "A transport property put into every TransportConfig (repeatable).")
    Map<String, String> properties = new LinkedHashMap<>();

    @Option(names = "--capability", paramLabel = "CAPABILITY",
            description = "Optional behaviour the transport has, running its optional clauses (repeatable): ${COMPLETION-CANDIDATES}.")
    List<Capability> capabilities = new ArrayList<>();

    @Option(names = "--await", paramLabel = "DURATION",
            description = "Longest single wait of the kit (system property peat.tck.await): PT60S or milliseconds; default 30 s.")
    String await;

    @Option(names = "--select", paramLabel = "CLAUSE",
            description = "Run only these clauses (repeatable): a clause (T3.1), a group (S2) or a part (T). Default: all.")
    List<String> selects = new ArrayList<>();

    @Option(names = "--report", paramLabel = "FILE", description = "Also write the report to this file (plain text).")
    Path report;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    private final PrintWriter out;
    private final PrintWriter progress;

    private TckRunner(PrintWriter out, PrintWriter progress) {
        this.out = out;
        this.progress = progress;
    }

    /**
     * Command line entry: runs and exits with the run's exit code.
     *
     * @param args the options
     */
    public static void main(String[] args) {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = run(args, out, err);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /**
     * Runs the runner without exiting the JVM; the report and any usage message go to {@code out}.
     *
     * @param args the options, as on the command line
     * @param out where the report goes
     * @return the exit code: {@link #OK}, {@link #FAILED} or {@link #USAGE}
     */
    public static int run(String[] args, PrintWriter out) {
        return run(args, out, new PrintWriter(Writer.nullWriter()));
    }

    /**
     * Runs the runner without exiting the JVM.
     *
     * @param args the options, as on the command line
     * @param out where the report and any usage message go
     * @param progress where one short line per finished clause goes while the kit runs
     * @return the exit code: {@link #OK}, {@link #FAILED} or {@link #USAGE}
     */
    public static int run(String[] args, PrintWriter out, PrintWriter progress) {
        synchronized (RUN_LOCK) {
            CommandLine cl = new CommandLine(new TckRunner(out, progress));
            cl.setOut(out);
            cl.setErr(out);
            cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
                if (e instanceof UsageException) {
                    out.println("peat-tck: " + e.getMessage());
                    out.flush();
                    return USAGE;
                }
                out.println("peat-tck: the run failed: " + e);
                e.printStackTrace(out);
                out.flush();
                return FAILED;
            });
            int code = cl.execute(args);
            out.flush();
            return code;
        }
    }

    /** A usage error, reported with exit code {@link #USAGE}. */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    @Override
    public Integer call() throws Exception {
        List<ClauseId> selection = new ArrayList<>();
        for (String s : selects) {
            try {
                selection.add(ClauseId.parseSelection(s));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--select " + e.getMessage());
            }
        }
        try {
            String.format(address, "node");
        } catch (IllegalFormatException e) {
            throw new UsageException("--address '" + address + "' is not a pattern with one %s for the node name: " + e.getMessage());
        }
        String previousAwait = System.getProperty("peat.tck.await");
        ClassLoader previousContext = Thread.currentThread().getContextClassLoader();
        URLClassLoader loader = new URLClassLoader("peat-tck-transport", urls(), TckRunner.class.getClassLoader());
        try {
            Duration awaitDuration = applyAwait();
            Thread.currentThread().setContextClassLoader(loader);
            SyncTransportProvider provider = findProvider(loader);
            DiscoveredFixture.Settings settings = settings(provider);
            Optional<TransportFixtureFactory> factory = findFactory(loader);
            java.util.function.Supplier<TransportFixture> fixtures = factory.<java.util.function.Supplier<TransportFixture>>map(
                    f -> () -> f.create(settings)).orElse(() -> new DiscoveredFixture(settings));
            return runKit(settings, factory, fixtures, awaitDuration, selection);
        } finally {
            DiscoveredTransportTck.use(null);
            Thread.currentThread().setContextClassLoader(previousContext);
            if (previousAwait == null) {
                System.clearProperty("peat.tck.await");
            } else {
                System.setProperty("peat.tck.await", previousAwait);
            }
            try {
                loader.close();
            } catch (IOException e) {
                // nothing left to do with it
            }
        }
    }

    /** @return the transport's own fixture factory, when one on the class path names it */
    private Optional<TransportFixtureFactory> findFactory(ClassLoader loader) {
        for (java.util.Iterator<TransportFixtureFactory> it = java.util.ServiceLoader.load(TransportFixtureFactory.class, loader)
                .iterator(); ; ) {
            try {
                if (!it.hasNext()) {
                    return Optional.empty();
                }
                TransportFixtureFactory f = it.next();
                if (transport.equals(f.transportName())) {
                    return Optional.of(f);
                }
            } catch (java.util.ServiceConfigurationError | RuntimeException e) {
                progress.println("skipping a TransportFixtureFactory that cannot be loaded: " + e);
            }
        }
    }

    /** The provider's {@code network()}, or OTHER when it throws (it must not) or predates the method. */
    private static io.peat.spi.TransportNetwork declaredNetwork(SyncTransportProvider provider) {
        try {
            io.peat.spi.TransportNetwork n = provider.network();
            return n == null ? io.peat.spi.TransportNetwork.OTHER : n;
        } catch (RuntimeException | LinkageError e) {
            return io.peat.spi.TransportNetwork.OTHER;
        }
    }

    private DiscoveredFixture.Settings settings(SyncTransportProvider provider) {
        Set<Capability> declared = capabilities.isEmpty() ? Set.of() : EnumSet.copyOf(capabilities);
        Network chosen;
        try {
            chosen = network == null ? Network.defaultFor(address, declaredNetwork(provider)) : Network.parse(network);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--network " + e.getMessage());
        }
        PeerIds ids;
        try {
            ids = peerIds == null ? PeerIds.NAMED : PeerIds.parse(peerIds);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--peer-ids " + e.getMessage());
        }
        try {
            return new DiscoveredFixture.Settings(provider, address, properties, declared, chosen, ids);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--network " + chosen.optionValue() + ": " + e.getMessage() + "; give --address HOST:PORT"
                    + " or --network none");
        }
    }

    private Duration applyAwait() {
        if (await == null) {
            return TckTimeouts.await();
        }
        System.setProperty("peat.tck.await", await);
        try {
            return TckTimeouts.await();
        } catch (IllegalArgumentException e) {
            throw new UsageException("--await " + e.getMessage());
        }
    }

    private int runKit(DiscoveredFixture.Settings settings, Optional<TransportFixtureFactory> factory,
            java.util.function.Supplier<TransportFixture> fixtures, Duration awaitDuration, List<ClauseId> selection) throws IOException {
        Launcher launcher = LauncherFactory.create();
        TestPlan all = launcher.discover(LauncherDiscoveryRequestBuilder.request()
                .selectors(DiscoverySelectors.selectClass(DiscoveredTransportTck.class)).build());
        List<TestIdentifier> clauses = clauses(all);
        List<TestIdentifier> chosen = new ArrayList<>();
        Set<ClauseId> unmatched = new LinkedHashSet<>(selection);
        for (TestIdentifier c : clauses) {
            Optional<ClauseId> id = ClauseReport.newResult(c).id();
            boolean take = selection.isEmpty();
            for (ClauseId s : selection) {
                if (id.isPresent() && id.get().isUnder(s)) {
                    take = true;
                    unmatched.remove(s);
                }
            }
            if (take) {
                chosen.add(c);
            }
        }
        if (!unmatched.isEmpty()) {
            throw new UsageException("no clause matches --select " + unmatched.stream().map(ClauseId::toString)
                    .collect(Collectors.joining(", ")) + "; the kit has " + ClauseId.sorted(clauses.stream()
                            .map(c -> ClauseReport.newResult(c).id()).flatMap(Optional::stream).toList())
                    .stream().map(ClauseId::toString).collect(Collectors.joining(" ")));
        }
        if (chosen.isEmpty()) {
            throw new UsageException("the kit has no clauses to run (discovery found no tests in "
                    + DiscoveredTransportTck.class.getName() + ")");
        }

        SyncTransportProvider p = settings.provider();
        StringWriter header = new StringWriter();
        PrintWriter h = new PrintWriter(header);
        h.println("peat-java TCK: transport " + transport + " (" + p.getClass().getName() + " from "
                + location(p.getClass()) + ")");
        TransportFixture sample = fixtures.get();
        try {
            if (factory.isPresent()) {
                h.println("  fixture: " + sample + " (from " + factory.get().getClass().getName() + ", the transport's own"
                        + " TransportFixtureFactory; --address, --network, --property and --capability are its to use)");
            }
            h.println("  faults: " + sample.faults().map(f -> f.toString()).orElse("none (the fault clauses fail: the runner has"
                    + " no FaultInjector for this transport; for host:port addresses pass --network tcp|udp)"));
            h.println("  capabilities: " + (sample.capabilities().isEmpty() ? "none declared (optional clauses skip)"
                    : sample.capabilities().stream().map(Enum::name).sorted().collect(Collectors.joining(", "))));
            if (factory.isEmpty()) {
                h.println("  address: " + settings.addressPattern() + "; network: " + settings.network().optionValue()
                        + (network != null ? " (--network)" : " (the provider declares " + declaredNetwork(p) + ")")
                        + "; peer ids: " + settings.peerIds().optionValue()
                        + (properties.isEmpty() ? "" : "; properties: " + properties));
            }
        } finally {
            if (sample instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    progress.println("closing the sample fixture failed: " + e);
                }
            }
        }
        h.println("  await: " + awaitDuration + "; clauses: " + chosen.size() + " of " + clauses.size()
                + (selection.isEmpty() ? "" : " (--select " + selects.stream().collect(Collectors.joining(" ")) + ")"));
        if (!safeAvailable(p)) {
            h.println("  WARNING: isAvailable() is false here; the kit runs anyway (clause T1.4 requires it true)");
        }
        h.flush();
        out.print(header);
        out.flush();

        ClauseReport report = new ClauseReport(transport, chosen, progress);
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(chosen.stream().map(c -> DiscoverySelectors.selectUniqueId(c.getUniqueId())).toList())
                .build();
        DiscoveredTransportTck.use(fixtures);
        try {
            launcher.execute(request, report);
        } finally {
            DiscoveredTransportTck.use(null);
        }

        StringWriter body = new StringWriter();
        report.write(new PrintWriter(body));
        out.print(body);
        out.flush();
        if (this.report != null) {
            Path parent = this.report.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(this.report, header.toString() + body, StandardCharsets.UTF_8);
        }
        return report.failed() ? FAILED : OK;
    }

    /** @return the method-level identifiers (one per clause) of the plan */
    private static List<TestIdentifier> clauses(TestPlan plan) {
        List<TestIdentifier> found = new ArrayList<>();
        for (TestIdentifier root : plan.getRoots()) {
            collect(plan, root, found);
        }
        return found;
    }

    private static void collect(TestPlan plan, TestIdentifier id, List<TestIdentifier> found) {
        if (id.getSource().orElse(null) instanceof MethodSource) {
            found.add(id);
            return;
        }
        for (TestIdentifier child : plan.getChildren(id)) {
            collect(plan, child, found);
        }
    }

    private SyncTransportProvider findProvider(ClassLoader loader) {
        List<SyncTransportProvider> providers = TransportDiscovery.load(loader);
        Set<String> names = new TreeSet<>();
        for (SyncTransportProvider p : providers) {
            String name = DiscoveredFixture.safeName(p);
            if (transport.equals(name)) {
                return p;
            }
            if (name != null && !name.isBlank()) {
                names.add(name);
            }
        }
        throw new UsageException("no transport named '" + transport + "' on the class path; available: "
                + (names.isEmpty() ? "none" : String.join(", ", names))
                + (classpath == null ? ". Give the transport's jar and its dependencies with --classpath." : "."));
    }

    private URL[] urls() {
        if (classpath == null || classpath.isBlank()) {
            return new URL[0];
        }
        List<URL> urls = new ArrayList<>();
        for (String entry : classpath.split(java.util.regex.Pattern.quote(File.pathSeparator))) {
            if (entry.isBlank()) {
                continue;
            }
            if (entry.endsWith("/*") || entry.endsWith(File.separator + "*")) {
                Path dir = Path.of(entry.substring(0, entry.length() - 2));
                if (!Files.isDirectory(dir)) {
                    throw new UsageException("--classpath entry " + entry + ": " + dir + " is not a directory");
                }
                try (DirectoryStream<Path> jars = Files.newDirectoryStream(dir, "*.jar")) {
                    List<Path> sorted = new ArrayList<>();
                    jars.forEach(sorted::add);
                    sorted.sort(null);
                    for (Path jar : sorted) {
                        urls.add(url(jar));
                    }
                } catch (IOException e) {
                    throw new UsageException("--classpath entry " + entry + ": cannot list " + dir + ": " + e.getMessage());
                }
                continue;
            }
            Path path = Path.of(entry);
            if (!Files.exists(path)) {
                throw new UsageException("--classpath entry " + entry + " does not exist (resolved to " + path.toAbsolutePath()
                        + ")");
            }
            urls.add(url(path));
        }
        return urls.toArray(URL[]::new);
    }

    private static URL url(Path path) {
        try {
            return path.toAbsolutePath().normalize().toUri().toURL();
        } catch (MalformedURLException e) {
            throw new UsageException("--classpath entry " + path + " is not a valid path: " + e.getMessage());
        }
    }

    private static String location(Class<?> c) {
        try {
            return String.valueOf(c.getProtectionDomain().getCodeSource().getLocation());
        } catch (RuntimeException e) {
            return "unknown location";
        }
    }

    private static boolean safeAvailable(SyncTransportProvider p) {
        try {
            return p.isAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}
