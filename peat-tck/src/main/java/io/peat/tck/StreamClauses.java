package io.peat.tck;

/** Contract clauses of group Stream (see CONTRACT.md). Default {@code @Test} methods run by {@link TransportTck}. */
public interface StreamClauses extends TckSupport {
}
