/**
 * What every peat-java QUIC transport shares, so that no transport depends on another: the node
 * identity (ECDSA P-256 keys, peer ids derived from them, self-signed certificates), certificate
 * pinning, the in-band identity exchange by which an acceptor learns the dialer's id (bytes in
 * IDENTITY.md), the ALPN and the QUIC settings. BouncyCastle builds certificates and reads/writes
 * PEM; it is never registered as a JCA provider.
 */
module io.peat.quic {
    requires transitive io.peat.spi;
    requires org.bouncycastle.pkix;
    requires org.bouncycastle.provider;

    exports io.peat.quic;
}
