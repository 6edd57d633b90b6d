package io.peat.transport.netty.internal;

import io.netty.util.concurrent.FastThreadLocalThread;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Names an endpoint's event loop threads {@code peat-netty-<peer>-N}; daemon threads. Thread-safe. */
final class TransportThreads implements ThreadFactory {
    private final String prefix;
    private final AtomicInteger next = new AtomicInteger();

    TransportThreads(String peer) {
        this.prefix = "peat-netty-" + peer + "-";
    }

    @Override
    public Thread newThread(Runnable r) {
        Thread t = new FastThreadLocalThread(r, prefix + next.incrementAndGet());
        t.setDaemon(true);
        return t;
    }
}
