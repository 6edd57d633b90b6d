package io.peat.spi;

/**
 * Root of every exception peat-java throws or completes a future with. Unchecked: asynchronous
 * operations complete their {@link java.util.concurrent.CompletionStage} exceptionally with a
 * subclass instead of throwing.
 *
 * <p>Subclasses name the value at fault and, where there is one, the fix.
 */
public class PeatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong, naming the value at fault */
    public PeatException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong, naming the value at fault
     * @param cause the underlying failure
     */
    public PeatException(String message, Throwable cause) {
        super(message, cause);
    }
}
