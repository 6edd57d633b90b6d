package io.peat.sync.internal.automerge;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Runs mutated Automerge payloads through the checks and, when accepted, through Automerge's
 * native code in child JVMs ({@link FuzzChild}), so that a native abort is recorded instead of
 * ending the fuzzer. Input {@code i} of a kind is generated from {@code (seed, kind, i)} alone, so
 * any finding can be regenerated. A child that dies is restarted after the input it was running;
 * that input is saved under the findings directory with the child's stderr.
 *
 * <p>Kinds: {@code sync} (DeltaSync payloads), {@code doc} (StateSnapshot payloads), {@code batch}
 * (a SyncBatch payload with one mutated entry of either kind, decoded with
 * {@link io.peat.sync.wire.SyncBatch#decode}).
 *
 * <p>Run from the command line (see {@code peat-sync/FUZZING.md}) or from {@link NativeFuzzTest}.
 * Single-threaded apart from one writer and one reader thread per child.
 */
public final class NativeFuzzer {
    /** What to run. */
    record Config(Map<String, Long> inputsPerKind, long seed, boolean checked, Path findings, long hangMillis) {
    }

    /** Counts for one kind. */
    static final class KindResult {
        long inputs;
        long accepted;
        long refused;
        long nativeErrors;
        long aborts;
        long hangs;
        long childStarts;
        long millis;
        /** Time the parent spent generating and checking inputs. */
        volatile long generateNanos;
        /** Inputs the mutator failed to make (sent as empty inputs). */
        volatile long generatorErrors;
        final List<String> findings = new ArrayList<>();

        @Override
        public String toString() {
            return String.format("inputs=%d accepted=%d refused=%d nativeErrors=%d aborts=%d hangs=%d children=%d generatorErrors=%d time=%.1fs (generating %.1fs, %.0f inputs/s)",
                    inputs, accepted, refused, nativeErrors, aborts, hangs, childStarts, generatorErrors, millis / 1000.0,
                    generateNanos / 1e9,
                    inputs * 1000.0 / Math.max(1, millis));
        }
    }

    private record Input(long index, int kind, int receiver, byte[] bytes) {
    }

    private final Config config;
    private final FuzzSeeds seeds;
    private final List<byte[]> syncPool = new ArrayList<>();
    private final List<byte[]> docPool = new ArrayList<>();

    NativeFuzzer(Config config) {
        this.config = config;
        this.seeds = FuzzSeeds.build();
        for (FuzzSeeds.SyncSeed s : seeds.syncMessages) {
            syncPool.add(s.message());
            Mutator.SyncModel m = Mutator.SyncModel.parse(s.message());
            if (m != null) {
                docPool.addAll(m.changes);
            }
        }
        docPool.addAll(seeds.documents);
        for (byte[] r : seeds.receivers) {
            if (r.length > 0) {
                docPool.add(r);
            }
        }
    }

    FuzzSeeds seeds() {
        return seeds;
    }

    /** Runs every configured kind and returns the counts per kind, in order. */
    Map<String, KindResult> run() throws IOException, InterruptedException {
        Map<String, KindResult> out = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : config.inputsPerKind().entrySet()) {
            out.put(e.getKey(), runKind(e.getKey(), e.getValue()));
        }
        return out;
    }

    static int kindCode(String kind) {
        return switch (kind) {
            case "sync" -> FuzzChild.KIND_SYNC;
            case "doc" -> FuzzChild.KIND_DOC;
            case "batch" -> FuzzChild.KIND_BATCH;
            default -> throw new IllegalArgumentException("unknown kind " + kind + " (sync, doc, batch)");
        };
    }

    /** Input {@code index} of {@code kind}: a pure function of (seed, kind, index). */
    private Input generate(int kind, long index) {
        SplittableRandom rnd = new SplittableRandom(config.seed() * 0x9E3779B97F4A7C15L + kind * 0x632BE59BD9B4E019L + index);
        Mutator mut = new Mutator(rnd);
        int receiver = rnd.nextInt(seeds.receivers.size());
        byte[] bytes;
        switch (kind) {
            case FuzzChild.KIND_SYNC -> {
                FuzzSeeds.SyncSeed s = seeds.syncMessages.get(rnd.nextInt(seeds.syncMessages.size()));
                if (rnd.nextInt(5) != 0) {
                    receiver = s.receiver();
                }
                bytes = index < seeds.syncMessages.size() ? seeds.syncMessages.get((int) index).message()
                        : mut.syncMessage(s.message(), syncPool);
                if (rnd.nextInt(10) == 0) {
                    bytes = mut.syncMessage(bytes, syncPool);
                }
            }
            case FuzzChild.KIND_DOC -> {
                byte[] s = docPool.get(rnd.nextInt(docPool.size()));
                bytes = index < docPool.size() ? docPool.get((int) index) : mut.chunkList(s, docPool);
                if (rnd.nextInt(10) == 0) {
                    bytes = mut.chunkList(bytes, docPool);
                }
            }
            default -> {
                boolean sync = rnd.nextBoolean();
                byte[] entry = sync
                        ? mut.syncMessage(syncPool.get(rnd.nextInt(syncPool.size())), syncPool)
                        : mut.chunkList(docPool.get(rnd.nextInt(docPool.size())), docPool);
                io.peat.sync.wire.Frame f = new io.peat.sync.wire.Frame("c:d" + index, sync ? 0 : 1, entry);
                bytes = new io.peat.sync.wire.SyncBatch(index, 0, 5, List.of(f)).encode();
                if (rnd.nextInt(8) == 0) {
                    bytes = mut.bytes(bytes, List.of(bytes));
                }
            }
        }
        return new Input(index, kind, receiver, bytes);
    }

    private KindResult runKind(String kindName, long n) throws IOException, InterruptedException {
        int kind = kindCode(kindName);
        KindResult r = new KindResult();
        long t0 = System.nanoTime();
        long next = 0;
        while (next < n) {
            next = session(kind, kindName, next, n, r);
        }
        r.inputs = n;
        r.millis = (System.nanoTime() - t0) / 1_000_000;
        return r;
    }

    /** Runs one child from input {@code from}; returns the index to continue from. */
    private long session(int kind, String kindName, long from, long n, KindResult r)
            throws IOException, InterruptedException {
        r.childStarts++;
        Path stderr = Files.createTempFile("peat-fuzz-child", ".stderr");
        ProcessBuilder pb = new ProcessBuilder(ChildJvm.command(FuzzChild.class, config.checked() ? "checked" : "raw"));
        pb.redirectError(stderr.toFile());
        Process p = pb.start();
        ArrayDeque<Input> inflight = new ArrayDeque<>();
        Semaphore window = new Semaphore(256);
        BlockingQueue<String> lines = new ArrayBlockingQueue<>(1024);
        Thread reader = new Thread(() -> {
            try (BufferedReader br = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII))) {
                String line;
                while ((line = br.readLine()) != null) {
                    lines.put(line);
                }
            } catch (IOException | InterruptedException e) {
                // the child is gone
            } finally {
                lines.offer("EOF");
            }
        }, "fuzz-reader");
        reader.setDaemon(true);
        reader.start();
        Thread writer = new Thread(() -> {
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(p.getOutputStream(), 1 << 16))) {
                out.writeInt(seeds.receivers.size());
                for (byte[] rcv : seeds.receivers) {
                    out.writeInt(rcv.length);
                    out.write(rcv);
                }
                for (long i = from; i < n; i++) {
                    window.acquire();
                    long g0 = System.nanoTime();
                    Input in;
                    try {
                        in = generate(kind, i);
                    } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
                        // A mutator bug must not stop the run: send an empty input, count it.
                        r.generatorErrors++;
                        in = new Input(i, kind, 0, new byte[0]);
                    }
                    r.generateNanos += System.nanoTime() - g0;
                    synchronized (inflight) {
                        inflight.add(in);
                    }
                    out.writeByte(in.kind());
                    out.writeInt(in.receiver());
                    out.writeInt(in.bytes().length);
                    out.write(in.bytes());
                    out.flush();
                }
                out.writeByte(-1);
                out.flush();
            } catch (IOException e) {
                // the child died; the reader sees EOF
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "fuzz-writer");
        writer.setDaemon(true);
        writer.start();

        Input current = null;
        boolean currentRefused = false;
        long resumeAt = n;
        try {
            while (true) {
                String line = lines.poll(config.hangMillis(), TimeUnit.MILLISECONDS);
                if (line == null) {
                    r.hangs++;
                    r.accepted++;
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    record("hang", kindName, current, stderr, -1, r);
                    resumeAt = current == null ? from : current.index() + 1;
                    break;
                }
                if (line.equals("R")) {
                    if (current != null && !currentRefused) {
                        r.accepted++;
                    }
                    synchronized (inflight) {
                        current = inflight.poll();
                    }
                    currentRefused = false;
                    window.release();
                    continue;
                }
                if (line.equals("F")) {
                    r.refused++;
                    currentRefused = true;
                    continue;
                }
                if (line.startsWith("E ")) {
                    if (current != null && !currentRefused) {
                        r.accepted++;
                    }
                    String[] f = line.split(" ");
                    r.nativeErrors += Long.parseLong(f[3]);
                    if (!p.waitFor(30, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                    break;
                }
                if (line.equals("EOF")) {
                    if (!p.waitFor(30, TimeUnit.SECONDS)) {
                        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    }
                    r.aborts++;
                    r.accepted++;
                    record("abort", kindName, current, stderr, p.exitValue(), r);
                    resumeAt = current == null ? n : current.index() + 1;
                    break;
                }
            }
        } finally {
            writer.interrupt();
            writer.join(10_000);
            if (p.isAlive()) {
                p.destroyForcibly();
            }
            Files.deleteIfExists(stderr);
        }
        return resumeAt;
    }

    private void record(String what, String kindName, Input in, Path stderr, int exit, KindResult r) throws IOException {
        String err = Files.exists(stderr) ? Files.readString(stderr, StandardCharsets.ISO_8859_1) : "";
        String panic = err.lines().filter(l -> l.contains("panicked at") || l.contains("Exception") || l.contains("fatal"))
                .findFirst().orElse(err.length() > 300 ? err.substring(0, 300) : err);
        String name = kindName + "-" + what + "-seed" + config.seed() + "-" + (in == null ? "none" : in.index());
        Files.createDirectories(config.findings());
        if (in != null) {
            Files.write(config.findings().resolve(name + ".bin"), in.bytes());
        }
        String tail = err.length() > 4000 ? err.substring(err.length() - 4000) : err;
        Files.writeString(config.findings().resolve(name + ".txt"),
                what + " exit=" + exit + " kind=" + kindName + " index=" + (in == null ? "?" : in.index())
                        + " receiver=" + (in == null ? "?" : in.receiver()) + " checked=" + config.checked()
                        + "\n" + tail);
        r.findings.add(name + ": " + panic.strip());
    }

    static Config configFromProperties() {
        Map<String, Long> kinds = new LinkedHashMap<>();
        long inputs = Long.getLong("peat.fuzz.inputs", 3_000);
        String kindList = System.getProperty("peat.fuzz.kinds", "sync,doc,batch");
        for (String k : kindList.split(",")) {
            String kind = k.strip();
            kindCode(kind);
            kinds.put(kind, kind.equals("batch") ? Long.getLong("peat.fuzz.batchInputs", Math.max(1, inputs / 4)) : inputs);
        }
        return new Config(kinds, Long.getLong("peat.fuzz.seed", 1L),
                !Boolean.getBoolean("peat.fuzz.raw"),
                Paths.get(System.getProperty("peat.fuzz.findings", "target/fuzz-findings")),
                Long.getLong("peat.fuzz.hangMillis", 60_000));
    }

    static String summary(Config c, Map<String, KindResult> results) {
        StringBuilder s = new StringBuilder("native fuzz seed=" + c.seed() + " checked=" + c.checked() + "\n");
        long aborts = 0;
        for (Map.Entry<String, KindResult> e : results.entrySet()) {
            s.append(String.format("  %-5s %s%n", e.getKey(), e.getValue()));
            for (String f : e.getValue().findings) {
                s.append("        finding ").append(f).append('\n');
            }
            aborts += e.getValue().aborts + e.getValue().hangs;
        }
        s.append("  total aborts+hangs: ").append(aborts);
        return s.toString();
    }

    /**
     * Command-line entry: system properties {@code peat.fuzz.inputs} (per kind, default 3000),
     * {@code peat.fuzz.kinds} (default {@code sync,doc,batch}), {@code peat.fuzz.batchInputs},
     * {@code peat.fuzz.seed} (default 1), {@code peat.fuzz.raw} (skip the checks), {@code
     * peat.fuzz.findings} (default {@code target/fuzz-findings}). Exits 1 on any abort or hang.
     */
    public static void main(String[] args) throws Exception {
        Config c = configFromProperties();
        Map<String, KindResult> results = new NativeFuzzer(c).run();
        String s = summary(c, results);
        System.out.println(s);
        boolean bad = results.values().stream().anyMatch(k -> k.aborts + k.hangs > 0);
        System.exit(bad ? 1 : 0);
    }

    static UncheckedIOException unchecked(IOException e) {
        return new UncheckedIOException(e);
    }
}
