package io.peat.quic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peat.spi.PeerAddress;
import io.peat.spi.PeerIdentityException;
import java.security.KeyPair;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;

class CertificatePinningTest {

    private final X509TrustManager tm = CertificatePinning.selfSignedP256();
    private final Instant now = Instant.now();

    private void assertRefusedBothWays(X509Certificate[] chain, String why) {
        CertificateException s = assertThrows(CertificateException.class, () -> tm.checkServerTrusted(chain, "ECDHE_ECDSA"));
        assertTrue(s.getMessage().contains(why), s.getMessage());
        CertificateException c = assertThrows(CertificateException.class, () -> tm.checkClientTrusted(chain, "EC"));
        assertTrue(c.getMessage().contains(why), c.getMessage());
    }

    @Test
    void acceptsANodeCertificateOnBothSides() throws Exception {
        X509Certificate[] chain = {NodeIdentity.generate().certificate()};
        tm.checkServerTrusted(chain, "ECDHE_ECDSA");
        tm.checkClientTrusted(chain, "EC");
        assertTrue(tm instanceof X509ExtendedTrustManager);
        assertEquals(0, tm.getAcceptedIssuers().length);
    }

    @Test
    void refusesAnRsaCertificate() throws Exception {
        KeyPair rsa = TestCerts.rsa();
        X509Certificate c = TestCerts.cert("CN=rsa", "CN=rsa", rsa.getPublic(), rsa.getPrivate(), "SHA256withRSA",
                now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)));
        assertRefusedBothWays(new X509Certificate[] {c}, "P-256");
    }

    @Test
    void refusesAnExpiredCertificate() throws Exception {
        KeyPair kp = TestCerts.ec("secp256r1");
        X509Certificate c = TestCerts.cert("CN=old", "CN=old", kp.getPublic(), kp.getPrivate(), "SHA256withECDSA",
                now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1)));
        assertRefusedBothWays(new X509Certificate[] {c}, "validity");
    }

    @Test
    void refusesACertificateSignedByAnotherKey() throws Exception {
        KeyPair kp = TestCerts.ec("secp256r1");
        KeyPair other = TestCerts.ec("secp256r1");
        X509Certificate c = TestCerts.cert("CN=x", "CN=x", kp.getPublic(), other.getPrivate(), "SHA256withECDSA",
                now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)));
        assertRefusedBothWays(new X509Certificate[] {c}, "does not verify with its own key");
    }

    @Test
    void refusesAChainOfTwoAndAnEmptyChain() throws Exception {
        X509Certificate[] two = {NodeIdentity.generate().certificate(), NodeIdentity.generate().certificate()};
        assertRefusedBothWays(two, "chain of 2");
        assertRefusedBothWays(new X509Certificate[0], "no certificate");
    }

    @Test
    void verifyPinnedAcceptsTheRightIdAndNamesBothOnAWrongOne() {
        NodeIdentity a = NodeIdentity.generate();
        NodeIdentity b = NodeIdentity.generate();
        PeerAddress addr = PeerAddress.of("127.0.0.1:4433");
        Certificate[] chain = {a.certificate()};
        assertEquals(a.peerId(), CertificatePinning.verifyPinned(addr, a.peerId(), chain));
        PeerIdentityException e = assertThrows(PeerIdentityException.class,
                () -> CertificatePinning.verifyPinned(addr, b.peerId(), chain));
        assertTrue(e.getMessage().contains(a.peerId().value()) && e.getMessage().contains(b.peerId().value())
                && e.getMessage().contains("127.0.0.1:4433"), e.getMessage());
        PeerIdentityException none = assertThrows(PeerIdentityException.class,
                () -> CertificatePinning.verifyPinned(addr, b.peerId(), new Certificate[0]));
        assertTrue(none.getMessage().contains("unverified"), none.getMessage());
        assertThrows(PeerIdentityException.class, () -> CertificatePinning.verifyPinned(addr, b.peerId(), null));
    }
}
