package io.peat.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.concurrent.TimeUnit;

/**
 * Where and when a figure was measured: every row of every table carries it.
 *
 * @param date the day (UTC)
 * @param commit the checked-out commit, {@code -dirty} when the tree differs from it
 * @param cores processors the JVM sees
 * @param load the one-minute load average when the row was measured
 * @param cpu the CPU model
 * @param jvm the Java runtime
 */
record Machine(String date, String commit, int cores, double load, String cpu, String jvm) {
    private static final String COMMIT = readCommit();
    private static final String CPU = readCpu();

    /** @return the machine as it is now */
    static Machine now() {
        return new Machine(LocalDate.now(java.time.ZoneOffset.UTC).toString(), COMMIT, Runtime.getRuntime().availableProcessors(),
                Math.round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage() * 100) / 100.0, CPU,
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    }

    /** @return a short description for the header of a table */
    String describe() {
        return cores + " cores (" + cpu + "), " + jvm + ", commit " + commit + ", " + date;
    }

    private static String readCommit() {
        String head = git("rev-parse", "--short=10", "HEAD");
        if (head == null) {
            return "unknown";
        }
        String status = git("status", "--porcelain", "--untracked-files=no");
        return status == null || status.isBlank() ? head : head + "-dirty";
    }

    private static String git(String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "git";
        System.arraycopy(args, 0, cmd, 1, args.length);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return null;
            }
            return out;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static String readCpu() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }
}
