package io.peat.bench;

import io.peat.sync.internal.automerge.ActorSeqLedger;
import io.peat.sync.internal.automerge.SyncMessageCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;
import org.automerge.AmValue;
import org.automerge.Document;
import org.automerge.ObjectId;
import org.automerge.ObjectType;
import org.automerge.SyncState;
import org.automerge.Transaction;

/**
 * Not a test (surefire does not run it): a main that measures, in isolation, what each step of
 * syncing 10 MiB of text from A to an empty B costs in resident memory (VmRSS: native and heap
 * together) and time, one thread, one JVM. Each line: the step's seconds, RSS after it, its change,
 * and the peak RSS during the step (VmHWM, reset after each step through {@code /proc/self/clear_refs}).
 *
 * <pre>
 * ./mvnw -B -o -q package -DskipTests; javac -d /tmp/probe -cp CP peat-bench/src/test/java/io/peat/bench/MemoryProbe.java
 * java -Xmx4g [-Dprobe.mib=10] [-XX:TrimNativeHeapInterval=1000] -cp /tmp/probe:CP io.peat.bench.MemoryProbe one|appends [trim]
 * </pre>
 *
 * {@code one}: the text in one change (bench case text-one); {@code appends}: in appends of 1 MiB
 * (text-appends; B then receives them all in one message). With {@code trim} it runs
 * {@code jcmd <self> System.trim_native_heap} (glibc's {@code malloc_trim}) and a GC after each
 * step and prints the RSS after that: what the step really keeps, without the freed memory glibc
 * holds on to. Measured (automerge-java 0.0.7, 2 cores): one Document holding 10 MiB of text is
 * 5.85 GiB of native memory, whether made locally, by receiveSyncMessage or by Document.load.
 */
public final class MemoryProbe {
    private static final long MIB = 1 << 20;
    private static boolean trim;
    private static long lastRss;

    private MemoryProbe() {
    }

    public static void main(String[] args) throws Throwable {
        String mode = args.length > 0 ? args[0] : "one";
        trim = java.util.Arrays.asList(args).contains("trim");
        int mib = Integer.getInteger("probe.mib", 10);
        new Document().free();
        report("start (library loaded)");
        Document a = new Document();
        long t = System.nanoTime();
        if (mode.equals("one")) {
            try (Transaction tx = a.startTransaction()) {
                ObjectId text = tx.set(ObjectId.ROOT, "text", ObjectType.TEXT);
                tx.spliceText(text, 0, 0, letters(mib << 20));
                tx.set(ObjectId.ROOT, "done", true);
                tx.commit();
            }
            step("A: " + mib + " MiB text in one change", t);
        } else {
            try (Transaction tx = a.startTransaction()) {
                tx.set(ObjectId.ROOT, "text", ObjectType.TEXT);
                tx.commit();
            }
            for (int i = 0; i < mib; i++) {
                t = System.nanoTime();
                try (Transaction tx = a.startTransaction()) {
                    ObjectId text = ((AmValue.Text) tx.get(ObjectId.ROOT, "text").orElseThrow()).getId();
                    tx.spliceText(text, (long) i << 20, 0, letters(1 << 20));
                    tx.commit();
                }
                step("A: append " + (i + 1) + " of 1 MiB", t);
            }
        }
        t = System.nanoTime();
        byte[] saved = a.save();
        step("A.save(): " + saved.length + " bytes", t);
        t = System.nanoTime();
        byte[] changes = a.encodeChangesSince(new org.automerge.ChangeHash[0]);
        step("A.encodeChangesSince([]): " + changes.length + " bytes", t);
        changes = null;
        t = System.nanoTime();
        ActorSeqLedger ledgerA = ActorSeqLedger.of(a);
        step("ActorSeqLedger.of(A)", t);
        ledgerA = null;

        // Sync A -> empty B, as DocumentSync does for a document B does not hold.
        Document b = new Document();
        SyncState sa = new SyncState();
        SyncState sb = new SyncState();
        for (int round = 0; round < 6; round++) {
            t = System.nanoTime();
            Optional<byte[]> m = a.generateSyncMessage(sa);
            step("A.generateSyncMessage round " + round + ": " + m.map(x -> x.length + " bytes").orElse("none"), t);
            if (m.isPresent()) {
                t = System.nanoTime();
                SyncMessageCheck.check(m.get(), ActorSeqLedger.of(b));
                step("SyncMessageCheck.check(msg, ledger of B)", t);
                t = System.nanoTime();
                b.receiveSyncMessage(sb, m.get());
                step("B.receiveSyncMessage", t);
            }
            m = null;
            t = System.nanoTime();
            Optional<byte[]> r = b.generateSyncMessage(sb);
            step("B.generateSyncMessage: " + r.map(x -> x.length + " bytes").orElse("none"), t);
            if (r.isPresent()) {
                a.receiveSyncMessage(sa, r.get());
            } else if (round > 0) {
                break;
            }
        }
        t = System.nanoTime();
        ActorSeqLedger ledgerB = ActorSeqLedger.of(b);
        step("ActorSeqLedger.of(B)", t);
        ledgerB = null;
        t = System.nanoTime();
        sa.free();
        sb.free();
        b.free();
        step("B freed", t);
        t = System.nanoTime();
        Document loaded = Document.load(saved);
        step("Document.load(A.save())", t);
        loaded.free();
        step("loaded freed", System.nanoTime());
        a.free();
        step("A freed", System.nanoTime());
        // -XX:TrimNativeHeapInterval (if set) gives freed memory back in the background: watch RSS until it
        // has not shrunk for 1 s, at most 5 s.
        long settleStart = System.nanoTime();
        long deadline = settleStart + 5_000_000_000L;
        long lowest = rss();
        long lowestAt = System.nanoTime();
        while (System.nanoTime() < deadline && System.nanoTime() - lowestAt < 1_000_000_000L) {
            Thread.sleep(100); // a sampling period of the RSS poll, bounded by the deadline above
            long now = rss();
            if (now < lowest) {
                lowest = now;
                lowestAt = System.nanoTime();
            }
        }
        step(String.format("RSS settled (%.1f s later)", (System.nanoTime() - settleStart) / 1e9), settleStart);
    }

    private static void step(String what, long t0) throws Throwable {
        double s = (System.nanoTime() - t0) / 1e9;
        long rss = rss();
        long peak = status("VmHWM:");
        String line = String.format("%-55s %7.2f s  RSS %7.0f MiB (%+7.0f, peak in step %7.0f)", what, s, rss / (double) MIB,
                (rss - lastRss) / (double) MIB, peak / (double) MIB);
        if (trim) {
            System.gc();
            trimNativeHeap();
            long after = rss();
            line += String.format("  after gc+malloc_trim %7.0f MiB", after / (double) MIB);
            rss = after;
        }
        Runtime rt = Runtime.getRuntime();
        line += String.format("  heap used %5.0f MiB", (rt.totalMemory() - rt.freeMemory()) / (double) MIB);
        lastRss = rss;
        System.out.println(line);
        resetPeak();
    }

    /** Resets VmHWM to the current RSS (Linux: "5" to clear_refs), so the next step's peak is its own. */
    private static void resetPeak() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException e) {
            // not Linux, or not allowed: the peak is then the process's
        }
    }

    private static void report(String what) throws Throwable {
        step(what, System.nanoTime());
    }

    private static void trimNativeHeap() throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        new ProcessBuilder(jcmd.toString(), Long.toString(ProcessHandle.current().pid()), "System.trim_native_heap")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    }

    static String letters(int n) {
        Random r = new Random(n);
        char[] c = new char[n];
        for (int i = 0; i < n; i++) {
            c[i] = (char) ('a' + r.nextInt(26));
        }
        return new String(c);
    }

    static long rss() throws IOException {
        return status("VmRSS:");
    }

    static long status(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]) * 1024;
            }
        }
        return -1;
    }
}
