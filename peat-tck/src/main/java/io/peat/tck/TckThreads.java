package io.peat.tck;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** The kit's thread factory: daemon threads named {@code prefix-N}, so a hung clause never keeps the JVM alive. */
final class TckThreads {
    private TckThreads() {
    }

    /**
     * @param prefix the threads' name prefix
     * @return a factory of daemon threads named {@code prefix-1}, {@code prefix-2}, ...
     */
    static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
