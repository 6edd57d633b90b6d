package io.peat.quic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peat.spi.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeIdentityTest {

    @TempDir
    Path tmp;

    @Test
    void certificateIsSelfSignedP256WithThePeerIdAsCn() throws Exception {
        NodeIdentity n = NodeIdentity.generate();
        X509Certificate c = n.certificate();
        assertTrue(PeerIds.isP256(c.getPublicKey()));
        assertEquals("SHA256withECDSA", c.getSigAlgName());
        assertEquals("CN=" + n.peerId(), c.getSubjectX500Principal().getName());
        assertEquals(c.getSubjectX500Principal(), c.getIssuerX500Principal());
        c.verify(c.getPublicKey());
        c.checkValidity();
        Instant now = Instant.now();
        assertTrue(c.getNotBefore().toInstant().isBefore(now.minus(Duration.ofMinutes(59))));
        assertTrue(c.getNotAfter().toInstant().isAfter(now.plus(Duration.ofDays(3650))));
        assertEquals(n.peerId(), CertificatePinning.checkSelfSignedP256(new X509Certificate[] {c}));
    }

    @Test
    void signaturesVerifyWithThePublicKey() throws Exception {
        NodeIdentity n = NodeIdentity.generate();
        byte[] data = "hello".getBytes();
        byte[] sig = n.sign(data);
        Signature v = Signature.getInstance("SHA256withECDSA");
        v.initVerify(n.certificate().getPublicKey());
        v.update(data);
        assertTrue(v.verify(sig));
        assertTrue(sig.length <= 72);
    }

    @Test
    void loadOrCreateCreatesThenReloadsTheSameIdentity() throws Exception {
        Path dir = tmp.resolve("a/b/identity");
        NodeIdentity first = NodeIdentity.loadOrCreate(dir);
        Path key = dir.resolve(NodeIdentity.KEY_FILE);
        Path cert = dir.resolve(NodeIdentity.CERT_FILE);
        assertTrue(Files.readString(key).startsWith("-----BEGIN PRIVATE KEY-----"), Files.readString(key));
        assertTrue(Files.readString(cert).startsWith("-----BEGIN CERTIFICATE-----"));
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cert)));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        }
        NodeIdentity second = NodeIdentity.loadOrCreate(dir);
        assertEquals(first.peerId(), second.peerId());
        assertArrayEquals(first.certificate().getEncoded(), second.certificate().getEncoded());
        assertArrayEquals(first.privateKey().getEncoded(), second.privateKey().getEncoded());
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "no temporary files left");
        }
    }

    @Test
    void certificateOfAnotherKeyIsAConfigExceptionNamingTheFile() throws Exception {
        Path dir = tmp.resolve("id");
        NodeIdentity.loadOrCreate(dir);
        Files.writeString(dir.resolve(NodeIdentity.CERT_FILE), NodeIdentity.generate().certificatePem());
        ConfigException e = assertThrows(ConfigException.class, () -> NodeIdentity.loadOrCreate(dir));
        assertTrue(e.getMessage().contains(NodeIdentity.CERT_FILE), e.getMessage());
    }

    @Test
    void missingCertificateIsMadeAgainButAMissingKeyIsAnError() throws Exception {
        Path dir = tmp.resolve("id");
        NodeIdentity first = NodeIdentity.loadOrCreate(dir);
        Files.delete(dir.resolve(NodeIdentity.CERT_FILE));
        assertEquals(first.peerId(), NodeIdentity.loadOrCreate(dir).peerId());
        assertTrue(Files.exists(dir.resolve(NodeIdentity.CERT_FILE)));
        Files.delete(dir.resolve(NodeIdentity.KEY_FILE));
        ConfigException e = assertThrows(ConfigException.class, () -> NodeIdentity.loadOrCreate(dir));
        assertTrue(e.getMessage().contains(NodeIdentity.KEY_FILE), e.getMessage());
    }

    @Test
    void garbageKeyFileIsAConfigExceptionNamingTheFile() throws Exception {
        Path dir = tmp.resolve("id");
        NodeIdentity.loadOrCreate(dir);
        Files.writeString(dir.resolve(NodeIdentity.KEY_FILE), "not a key");
        ConfigException e = assertThrows(ConfigException.class, () -> NodeIdentity.loadOrCreate(dir));
        assertTrue(e.getMessage().contains(NodeIdentity.KEY_FILE), e.getMessage());
    }

    @Test
    void suppliedKeysMustBeP256() throws Exception {
        String p384 = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(TestCerts.ec("secp384r1").getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        ConfigException e = assertThrows(ConfigException.class, () -> NodeIdentity.fromPrivateKeyPem(p384));
        assertTrue(e.getMessage().contains("P-256"), e.getMessage());
        assertThrows(ConfigException.class, () -> NodeIdentity.fromPrivateKeyPem("hello"));
        NodeIdentity n = NodeIdentity.generate();
        assertThrows(ConfigException.class, () -> NodeIdentity.fromPrivateKeyPem(n.certificatePem()));
    }
}
