package io.peat.tck;

/** Contract clauses of group Lifecycle (see CONTRACT.md). Default {@code @Test} methods run by {@link TransportTck}. */
public interface LifecycleClauses extends TckSupport {
}
