package io.peat.spi;

/**
 * What a transport carries its connections over, as its provider declares it
 * ({@link SyncTransportProvider#network()}). Tools that stand between endpoints use it: the
 * conformance kit's runner picks the fault relay it puts in front of each endpoint from it (a UDP
 * relay for {@link #UDP}, a TCP relay for {@link #TCP}). Immutable.
 */
public enum TransportNetwork {
    /** UDP datagrams to {@code host:port} addresses (QUIC, for example). */
    UDP,
    /** TCP connections to {@code host:port} addresses. */
    TCP,
    /** Inside one process, no sockets (the in-memory transport). */
    IN_PROCESS,
    /** Not declared, or something else. */
    OTHER
}
