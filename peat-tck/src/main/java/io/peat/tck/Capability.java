package io.peat.tck;

/**
 * Optional behaviour a transport may have. A transport declares what it has through
 * {@link TransportFixture#capabilities()}; an {@code optional_...} clause whose capability is not
 * declared shows as skipped with the reason. Required clauses have no capability and cannot be
 * switched off.
 */
public enum Capability {
    /** The peer's {@link io.peat.spi.StreamResetException} carries the error code given to {@code reset}. */
    RESET_CODE_DELIVERED,
    /** The peer's {@link io.peat.spi.CloseReason} carries the code and reason given to {@code close}. */
    CLOSE_REASON_DELIVERED
}
