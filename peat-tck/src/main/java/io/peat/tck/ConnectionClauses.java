package io.peat.tck;

/** Contract clauses of group Connection (see CONTRACT.md). Default {@code @Test} methods run by {@link TransportTck}. */
public interface ConnectionClauses extends TckSupport {
}
