package io.peat.spi.internal;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Sees through the wrappers that futures put around a failure.
 *
 * <p>Not API: see {@link io.peat.spi.internal}. Stateless and thread-safe.
 */
public final class CompletionCauses {
    private CompletionCauses() {
    }

    /**
     * Peels every {@link CompletionException} and {@link ExecutionException} layer off a failure,
     * however deeply nested and in whatever mix, and stops at a wrapper with no cause.
     *
     * @param t a failure, as a future or a completion stage reports it; may be null
     * @return the innermost throwable that is not one of those wrappers; {@code t} itself when it is
     *     no wrapper; the innermost wrapper when it has no cause; null for null
     */
    public static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }
}
