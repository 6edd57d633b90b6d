package io.peat.quic;

import io.peat.spi.PeerAddress;
import io.peat.spi.PeerId;
import io.peat.spi.PeerIdentityException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Objects;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * TLS certificate checks for peat QUIC connections. Nodes present self-signed certificates, so
 * there is no CA: the TLS layer checks that the certificate is a well-formed self-signed P-256
 * certificate ({@link #selfSignedP256()}), and the dialer then pins the acceptor by comparing the
 * peer id derived from it with the id it dialed ({@link #verifyPinned}). Stateless; safe from any
 * thread.
 */
public final class CertificatePinning {

    private static final X509ExtendedTrustManager SELF_SIGNED_P256 = new SelfSignedP256TrustManager();

    private CertificatePinning() {
    }

    /**
     * A trust manager for both the client and the server side of TLS. It accepts a chain of exactly
     * one certificate that holds an ECDSA P-256 key, is self-signed (issuer equals subject, and its
     * signature verifies with its own key) and is within its validity period; anything else is
     * refused with a {@link CertificateException} saying why. It is not "trust all": it proves only
     * that the peer holds the key of the certificate, and the identity is then pinned by comparing
     * peer ids ({@link #verifyPinned}, or the in-band {@link IdentityExchange}).
     *
     * <p>The object is an {@link X509ExtendedTrustManager}, so JSSE adds no host name checks of its
     * own. It issues no CA names ({@link X509TrustManager#getAcceptedIssuers()} is empty). Shared,
     * stateless, safe from any thread.
     *
     * @return the trust manager
     */
    public static X509TrustManager selfSignedP256() {
        return SELF_SIGNED_P256;
    }

    /**
     * Checks one certificate chain as {@link #selfSignedP256()} does.
     *
     * @param chain the chain presented
     * @return the peer id of the certificate's key
     * @throws CertificateException saying why the chain is refused
     */
    public static PeerId checkSelfSignedP256(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("no certificate presented; a peat QUIC peer presents one self-signed ECDSA P-256 certificate");
        }
        if (chain.length != 1) {
            throw new CertificateException("a chain of " + chain.length
                    + " certificates was presented; a peat QUIC peer presents exactly one self-signed ECDSA P-256 certificate");
        }
        X509Certificate c = chain[0];
        if (c == null) {
            throw new CertificateException("the presented certificate is null");
        }
        if (!PeerIds.isP256(c.getPublicKey())) {
            throw new CertificateException("certificate " + c.getSubjectX500Principal().getName() + " holds a "
                    + c.getPublicKey().getAlgorithm() + " key; a peat QUIC peer uses an ECDSA P-256 key");
        }
        PeerId id = PeerIds.of(c.getPublicKey());
        if (!c.getIssuerX500Principal().equals(c.getSubjectX500Principal())) {
            throw new CertificateException("certificate of " + id + " is not self-signed: issuer "
                    + c.getIssuerX500Principal().getName() + " differs from subject " + c.getSubjectX500Principal().getName());
        }
        try {
            c.verify(c.getPublicKey());
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new CertificateException("certificate of " + id + " is not self-signed: its signature ("
                    + c.getSigAlgName() + ") does not verify with its own key: " + e.getMessage(), e);
        }
        try {
            c.checkValidity();
        } catch (CertificateException e) {
            throw new CertificateException("certificate of " + id + " is outside its validity period ("
                    + c.getNotBefore().toInstant() + " to " + c.getNotAfter().toInstant() + "): " + e.getMessage(), e);
        }
        return id;
    }

    /**
     * Pins the peer: derives the peer id from the first presented certificate and compares it with
     * the one expected. Call it once the TLS handshake is done, before the connection is used.
     *
     * @param address the address dialed, for the exception message
     * @param expected the peer id the caller dialed
     * @param presented the peer's certificate chain (e.g. {@code SSLSession.getPeerCertificates()})
     * @return the verified peer id, equal to {@code expected}
     * @throws PeerIdentityException with the actual id when it differs, or with a null actual id when
     *     the chain is null, empty, or its first certificate is not an X.509 certificate with a P-256 key
     */
    public static PeerId verifyPinned(PeerAddress address, PeerId expected, Certificate[] presented) {
        Objects.requireNonNull(expected, "expected");
        if (presented == null || presented.length == 0 || !(presented[0] instanceof X509Certificate)
                || !PeerIds.isP256(presented[0].getPublicKey())) {
            throw new PeerIdentityException(address, expected, null);
        }
        PeerId actual = PeerIds.of(presented[0].getPublicKey());
        if (!actual.equals(expected)) {
            throw new PeerIdentityException(address, expected, actual);
        }
        return actual;
    }

    private static final class SelfSignedP256TrustManager extends X509ExtendedTrustManager {
        private static final X509Certificate[] NO_ISSUERS = new X509Certificate[0];

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            checkSelfSignedP256(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            checkSelfSignedP256(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            checkSelfSignedP256(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            checkSelfSignedP256(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            checkSelfSignedP256(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            checkSelfSignedP256(chain);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return NO_ISSUERS;
        }

        @Override
        public String toString() {
            return "CertificatePinning.selfSignedP256()";
        }
    }
}
