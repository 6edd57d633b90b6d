package io.peat.tck;

import io.peat.spi.internal.DaemonThreadFactory;
import java.util.concurrent.ThreadFactory;

/**
 * The kit's threads: daemon threads, so a hung clause or relay never keeps the JVM alive. Every
 * thread the kit starts (clause pools, relays) is made here; the threads themselves come from the
 * one factory peat-java's modules share ({@link DaemonThreadFactory}).
 */
final class TckThreads {
    private TckThreads() {
    }

    /**
     * @param prefix the threads' name prefix
     * @return a factory of daemon threads named {@code prefix-1}, {@code prefix-2}, ...
     */
    static ThreadFactory daemon(String prefix) {
        return new DaemonThreadFactory(prefix);
    }

    /**
     * @param name the thread's name
     * @param body what it runs
     * @return a daemon thread, not started
     */
    static Thread daemonThread(String name, Runnable body) {
        return DaemonThreadFactory.newDaemonThread(name, body);
    }
}
