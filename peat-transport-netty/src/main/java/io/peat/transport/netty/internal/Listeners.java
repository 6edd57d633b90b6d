package io.peat.transport.netty.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.CompletableFuture;

/** Small helpers: isolated callbacks and logging. Stateless. */
final class Listeners {
    static final Logger LOG = System.getLogger("io.peat.transport.netty");

    private Listeners() {
    }

    /**
     * Runs a listener callback, catching what it throws.
     *
     * @return null when it returned normally, else what it threw
     */
    static Throwable isolate(Runnable callback) {
        try {
            callback.run();
            return null;
        } catch (RuntimeException | Error e) {
            if (e instanceof VirtualMachineError vme) {
                throw vme;
            }
            return e;
        }
    }

    /** Completes a future, never letting a dependant's exception escape into Netty. */
    static <T> void complete(CompletableFuture<T> f, T value) {
        try {
            f.complete(value);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "a completion dependant threw", e);
        }
    }

    /** Fails a future, never letting a dependant's exception escape into Netty. */
    static void fail(CompletableFuture<?> f, Throwable error) {
        try {
            f.completeExceptionally(error);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "a completion dependant threw", e);
        }
    }
}
