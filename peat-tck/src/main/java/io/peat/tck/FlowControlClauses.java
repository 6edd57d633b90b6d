package io.peat.tck;

/** Contract clauses of group FlowControl (see CONTRACT.md). Default {@code @Test} methods run by {@link TransportTck}. */
public interface FlowControlClauses extends TckSupport {
}
