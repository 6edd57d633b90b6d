package io.peat.tck;

import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * The live threads of the JVM at one moment, to find the threads an endpoint started and left
 * running after {@code close()}. Threads that belong to the JVM, JUnit, Surefire or the common
 * pool are never counted. Immutable; taken and queried on the test thread.
 */
final class ThreadSnapshot {
    /** Name prefixes of threads that are not the transport's. */
    private static final List<String> NOT_THE_TRANSPORTS = List.of("ForkJoinPool.commonPool", "junit", "process reaper",
            "Attach Listener", "Common-Cleaner", "surefire", "Reference Handler", "Finalizer", "Signal Dispatcher",
            "Notification Thread", "JFR ", "RMI ", "peat-tck-");

    private final Set<Thread> before;

    private ThreadSnapshot(Set<Thread> before) {
        this.before = before;
    }

    /** @return the threads alive now */
    static ThreadSnapshot take() {
        return new ThreadSnapshot(Set.copyOf(Thread.getAllStackTraces().keySet()));
    }

    /** @return threads alive now that were not alive at the snapshot and may be the transport's, by name */
    List<Thread> newThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).filter(t -> !before.contains(t))
                .filter(t -> NOT_THE_TRANSPORTS.stream().noneMatch(p -> t.getName().startsWith(p)))
                .sorted(Comparator.comparing(Thread::getName)).toList();
    }

    /** @return the names and states of {@link #newThreads()}, for a failure message */
    String describeNewThreads() {
        return newThreads().stream().map(t -> "'" + t.getName() + "' (" + t.getState() + (t.isDaemon() ? ", daemon" : "") + ")")
                .toList().toString();
    }
}
