package io.peat.bench;

import io.peat.spi.internal.DaemonThreadFactory;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples this process's heap and resident memory every 50 ms on a daemon thread, and reads its CPU
 * time, so a trial can report peak heap, peak RSS (Automerge's memory is native, outside the heap)
 * and CPU seconds. RSS and its peak come from {@code /proc/self/status} (Linux; -1 elsewhere).
 */
final class ResourceSampler implements AutoCloseable {
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final AtomicLong peakHeap = new AtomicLong();
    private final AtomicLong peakRss = new AtomicLong(-1);
    private final long cpuAtStart = cpuNanos();
    private final Thread thread;
    private volatile boolean stop;

    ResourceSampler() {
        thread = DaemonThreadFactory.newDaemonThread("bench-sampler", this::run);
        thread.start();
    }

    private void run() {
        while (!stop) {
            sample();
            try {
                Thread.sleep(50); // a sampling period, not a wait for anything
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void sample() {
        peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
        peakRss.accumulateAndGet(procStatus("VmRSS:"), Math::max);
    }

    /** @return the most heap in use seen, bytes */
    long peakHeapBytes() {
        sample();
        return peakHeap.get();
    }

    /** @return the most resident memory seen (the kernel's high-water mark when it has one), bytes */
    long peakRssBytes() {
        sample();
        return Math.max(peakRss.get(), procStatus("VmHWM:"));
    }

    /** @return CPU seconds this process used since the sampler started */
    double cpuSeconds() {
        return (cpuNanos() - cpuAtStart) / 1e9;
    }

    private static long cpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    private static long procStatus(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }

    @Override
    public void close() {
        stop = true;
        thread.interrupt();
    }
}
