package io.peat.demo;

import com.google.inject.Guice;
import com.google.inject.Injector;
import io.peat.spi.PeerAddress;
import io.peat.spi.PeerId;
import io.peat.spi.TransportConfig;
import io.peat.spi.TransportDiscovery;
import io.peat.sync.DocKey;
import io.peat.sync.SyncBackend;
import io.peat.sync.guice.PeatSyncModule;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.automerge.ObjectId;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The quick-start demo: N in-process nodes over the chosen (or discovered) transport, connected
 * in a full mesh; each writes documents; the demo waits until every node holds every document and
 * prints that they converged. Exit code 0 on convergence, 1 on timeout, 2 on bad arguments.
 */
@Command(name = "peat-demo", mixinStandardHelpOptions = true, description = "Sync documents between in-process nodes and check they converge.")
public final class ConvergenceDemo implements Callable<Integer> {

    @Option(names = "--nodes", defaultValue = "3", description = "number of nodes (default ${DEFAULT-VALUE})")
    int nodes;

    @Option(names = "--docs", defaultValue = "10", description = "documents each node writes (default ${DEFAULT-VALUE})")
    int docs;

    @Option(names = "--transport", description = "transport name (default: discovered by priority, or -Dpeat.transport)")
    String transport;

    @Option(names = "--address", description = "bind address pattern per node index (default: node-%%d on inmem,"
            + " 127.0.0.1:0 on network transports)")
    String addressPattern;

    @Option(names = "--timeout", defaultValue = "PT30S", description = "how long to wait for convergence (ISO-8601, default ${DEFAULT-VALUE})")
    Duration timeout;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final PrintWriter out;

    ConvergenceDemo(PrintWriter out) {
        this.out = out;
    }

    /**
     * @param args command-line arguments; {@code --help} lists them
     */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        System.exit(new CommandLine(new ConvergenceDemo(out)).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (nodes < 2 || docs < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--nodes must be >= 2 and --docs >= 1");
        }
        // Which transport discovery picks decides the defaults: inmem takes names and given peer ids;
        // QUIC transports take host:port and derive each node's id from its key.
        TransportConfig probe = TransportConfig.builder().transportName(transport).build();
        String chosen = TransportDiscovery.select(probe).name();
        boolean inMemory = "inmem".equals(chosen);
        String pattern = addressPattern != null ? addressPattern : inMemory ? "node-%d" : "127.0.0.1:0";
        List<SyncBackend> backends = new ArrayList<>();
        try {
            for (int i = 0; i < nodes; i++) {
                TransportConfig.Builder cfg = TransportConfig.builder().transportName(chosen);
                if (inMemory) {
                    cfg.localPeerId(PeerId.of("node-" + i));
                }
                Injector injector = Guice.createInjector(new PeatSyncModule(cfg.build()));
                SyncBackend b = injector.getInstance(SyncBackend.class);
                backends.add(b);
                PeerAddress bound = b.listen(PeerAddress.of(String.format(pattern, i))).toCompletableFuture()
                        .get(10, TimeUnit.SECONDS);
                out.printf("node %s listening on %s over '%s'%n", b.peerId(), bound, b.transport().name());
            }
            for (int i = 0; i < nodes; i++) {
                for (int j = i + 1; j < nodes; j++) {
                    SyncBackend to = backends.get(j);
                    backends.get(i).connect(to.transport().localAddress().orElseThrow(), to.peerId()).toCompletableFuture()
                            .get(10, TimeUnit.SECONDS);
                }
            }
            for (int i = 0; i < nodes; i++) {
                for (int d = 0; d < docs; d++) {
                    String value = "written by node-" + i;
                    backends.get(i).change(DocKey.of("demo", "n" + i + "-d" + d), tx -> tx.set(ObjectId.ROOT, "text", value))
                            .toCompletableFuture().get(10, TimeUnit.SECONDS);
                }
            }
            int total = nodes * docs;
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                int worst = Integer.MAX_VALUE;
                for (SyncBackend b : backends) {
                    worst = Math.min(worst, complete(b));
                }
                if (worst == total) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    out.printf("NOT converged after %s: the slowest node holds %d of %d documents%n", timeout, worst, total);
                    return 1;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
            for (SyncBackend b : backends) {
                out.printf("node %s holds %d/%d documents; persistent channel: %s; bytes sent: %d; fallback sends: %d%n", b.peerId(),
                        complete(b), total, b.hasPersistentSyncChannel(), b.metrics().bytesSent(), b.metrics().fallbackSends());
            }
            out.printf("all %d nodes converged: %d documents each%n", nodes, total);
            return 0;
        } finally {
            for (SyncBackend b : backends) {
                b.close();
            }
        }
    }

    /** @return how many of the demo's documents the node holds with their content */
    private int complete(SyncBackend b) throws Exception {
        int n = 0;
        for (int i = 0; i < nodes; i++) {
            for (int d = 0; d < docs; d++) {
                n += b.read(DocKey.of("demo", "n" + i + "-d" + d), doc -> doc.get(ObjectId.ROOT, "text").isPresent())
                        .toCompletableFuture().get(10, TimeUnit.SECONDS).orElse(false) ? 1 : 0;
            }
        }
        return n;
    }
}
