package io.peat.tck;

/** Contract clauses of group Provider (see CONTRACT.md). Default {@code @Test} methods run by {@link TransportTck}. */
public interface ProviderClauses extends TckSupport {
}
