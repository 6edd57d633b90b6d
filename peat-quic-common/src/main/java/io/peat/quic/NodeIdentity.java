package io.peat.quic;

import io.peat.spi.ConfigException;
import io.peat.spi.PeerId;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.Objects;
import java.util.UUID;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * The identity of one QUIC node: an ECDSA P-256 key pair, the peer id derived from its public key
 * ({@link PeerIds}) and a self-signed certificate for it that the node presents in TLS (as server
 * and, where the backend can, as client).
 *
 * <p>Keys come from the JDK's EC provider (SunEC); BouncyCastle only builds certificates and reads
 * and writes PEM, and is never registered as a JCA provider. The certificate is self-signed with
 * SHA256withECDSA, subject {@code CN=<peer id>}, valid from one hour before creation for ten years.
 *
 * <p>Immutable and safe to share between threads; {@link #sign} may be called concurrently.
 */
public final class NodeIdentity {

    /** The private key file in an identity directory: PKCS#8, PEM ({@code PRIVATE KEY}). */
    public static final String KEY_FILE = "node-key.pem";

    /** The certificate file in an identity directory: PEM ({@code CERTIFICATE}). */
    public static final String CERT_FILE = "node-cert.pem";

    static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";
    private static final Duration BACKDATE = Duration.ofHours(1);
    private static final Duration VALIDITY = Duration.ofDays(3653);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final X509Certificate certificate;
    private final PeerId peerId;

    private NodeIdentity(PrivateKey privateKey, PublicKey publicKey, X509Certificate certificate) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.certificate = certificate;
        this.peerId = PeerIds.of(publicKey);
    }

    /**
     * Generates a fresh key pair and certificate, kept in memory only: the peer id differs at every call.
     *
     * @return a new identity
     * @throws IllegalStateException when the JDK cannot make P-256 keys (it always can on Java 17+)
     */
    public static NodeIdentity generate() {
        KeyPair kp;
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            kp = g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot generate EC secp256r1 keys", e);
        }
        return new NodeIdentity(kp.getPrivate(), kp.getPublic(), selfSigned(kp.getPrivate(), kp.getPublic()));
    }

    /**
     * Loads the identity kept in {@code directory}, or creates it there on first start.
     *
     * <p>First start (neither {@value #KEY_FILE} nor {@value #CERT_FILE} exists): creates the
     * directory, a new key pair and certificate, and writes both files, owner-only
     * ({@code rwx------} directory, {@code rw-------} files) where the file system supports POSIX
     * permissions. Each file is written to a temporary name and moved into place.
     *
     * <p>Later starts: reads both files and checks that the certificate holds the public key of the
     * private key. A missing certificate next to an existing key is made afresh and written; so is
     * a certificate outside its validity period. Blocking file I/O: call it at start-up, not on a
     * transport thread.
     *
     * @param directory where the identity is kept
     * @return the identity
     * @throws ConfigException naming the file when it cannot be read, written or parsed, when the key
     *     is not P-256, when the certificate does not match the key, or when the certificate exists
     *     without its key
     */
    public static NodeIdentity loadOrCreate(Path directory) {
        Objects.requireNonNull(directory, "directory");
        Path keyFile = directory.resolve(KEY_FILE);
        Path certFile = directory.resolve(CERT_FILE);
        boolean hasKey = Files.exists(keyFile);
        boolean hasCert = Files.exists(certFile);
        if (!hasKey && hasCert) {
            throw new ConfigException("identity directory " + directory.toAbsolutePath() + " has " + CERT_FILE
                    + " but no " + KEY_FILE + " (" + keyFile.toAbsolutePath() + "); restore the key, or delete "
                    + certFile.toAbsolutePath() + " to make a new identity (a new peer id)");
        }
        if (!hasKey) {
            createDirectory(directory);
            NodeIdentity id = generate();
            writeFile(keyFile, id.privateKeyPem());
            writeFile(certFile, id.certificatePem());
            return id;
        }
        PrivateKey key = parsePrivateKey(readFile(keyFile), "file " + keyFile.toAbsolutePath());
        PublicKey pub = publicKeyOf(key);
        if (!hasCert) {
            NodeIdentity id = new NodeIdentity(key, pub, selfSigned(key, pub));
            writeFile(certFile, id.certificatePem());
            return id;
        }
        X509Certificate cert = parseCertificate(readFile(certFile), certFile);
        if (!PeerIds.isP256(cert.getPublicKey())
                || !Arrays.equals(PeerIds.canonicalSpki(cert.getPublicKey()), PeerIds.canonicalSpki(pub))) {
            throw new ConfigException("certificate file " + certFile.toAbsolutePath()
                    + " does not hold the public key of the private key in " + keyFile.toAbsolutePath()
                    + " (certificate subject " + cert.getSubjectX500Principal().getName() + ", key's peer id "
                    + PeerIds.of(pub) + "); delete " + CERT_FILE + " to have it made again from the key");
        }
        try {
            cert.checkValidity();
        } catch (CertificateException e) {
            NodeIdentity id = new NodeIdentity(key, pub, selfSigned(key, pub));
            writeFile(certFile, id.certificatePem());
            return id;
        }
        return new NodeIdentity(key, pub, cert);
    }

    /**
     * Uses a supplied private key and makes a fresh self-signed certificate for it.
     *
     * @param pem an ECDSA P-256 private key in PEM: PKCS#8 ({@code PRIVATE KEY}) or SEC1
     *     ({@code EC PRIVATE KEY}), unencrypted
     * @return the identity
     * @throws ConfigException when the text is not such a key
     */
    public static NodeIdentity fromPrivateKeyPem(String pem) {
        Objects.requireNonNull(pem, "pem");
        PrivateKey key = parsePrivateKey(pem, "the supplied PEM text");
        PublicKey pub = publicKeyOf(key);
        return new NodeIdentity(key, pub, selfSigned(key, pub));
    }

    /** @return the peer id derived from this node's public key ({@code p256-…}) */
    public PeerId peerId() {
        return peerId;
    }

    /** @return the private key (JDK SunEC); give it to the TLS stack only */
    public PrivateKey privateKey() {
        return privateKey;
    }

    /** @return the public key */
    public PublicKey publicKey() {
        return publicKey;
    }

    /** @return the self-signed ECDSA P-256 certificate whose subject CN is {@link #peerId()} */
    public X509Certificate certificate() {
        return certificate;
    }

    /** @return a fresh copy of the canonical SubjectPublicKeyInfo DER of the public key (see {@link PeerIds}) */
    public byte[] spki() {
        return PeerIds.canonicalSpki(publicKey);
    }

    /**
     * Signs with the private key. Safe from any thread; does not block on I/O.
     *
     * @param data the bytes to sign
     * @return the SHA256withECDSA signature, DER-encoded (at most 72 bytes)
     * @throws IllegalStateException when the JDK cannot sign (never with a valid key)
     */
    public byte[] sign(byte[] data) {
        Objects.requireNonNull(data, "data");
        try {
            Signature s = Signature.getInstance(SIGNATURE_ALGORITHM);
            s.initSign(privateKey);
            s.update(data);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with the node key: " + e.getMessage(), e);
        }
    }

    /** @return the private key as PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}); secret, handle with care */
    public String privateKeyPem() {
        return pem("PRIVATE KEY", privateKey.getEncoded());
    }

    /** @return the certificate as PEM ({@code -----BEGIN CERTIFICATE-----}) */
    public String certificatePem() {
        try {
            return pem("CERTIFICATE", certificate.getEncoded());
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException("cannot encode the node certificate", e);
        }
    }

    @Override
    public String toString() {
        return "NodeIdentity[" + peerId + "]";
    }

    // ---------------------------------------------------------------------------------------------

    static X509Certificate selfSigned(PrivateKey key, PublicKey pub) {
        PeerId id = PeerIds.of(pub);
        X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, id.value()).build();
        Instant now = Instant.now();
        BigInteger serial = new BigInteger(63, RANDOM).add(BigInteger.ONE);
        try {
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial,
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(VALIDITY)), name, pub);
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                    new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            X509CertificateHolder holder = b.build(new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(key));
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (IOException | OperatorCreationException | CertificateException e) {
            throw new IllegalStateException("cannot build the self-signed certificate for " + id + ": " + e.getMessage(), e);
        }
    }

    /** Derives the public key d·G of a P-256 private key, with BouncyCastle's curve arithmetic. */
    static PublicKey publicKeyOf(PrivateKey key) {
        ECPrivateKey ec = (ECPrivateKey) key;
        X9ECParameters curve = CustomNamedCurves.getByName("secp256r1");
        org.bouncycastle.math.ec.ECPoint q = curve.getG().multiply(ec.getS()).normalize();
        ECPoint w = new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
        try {
            return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, PeerIds.p256Params()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make the public key of a P-256 private key", e);
        }
    }

    static PrivateKey parsePrivateKey(String pem, String where) {
        Object o;
        try (PEMParser p = new PEMParser(new StringReader(pem))) {
            o = p.readObject();
        } catch (IOException | RuntimeException e) {
            throw new ConfigException(where + " is not a PEM private key: " + e.getMessage()
                    + "; give an unencrypted ECDSA P-256 key, PKCS#8 ('BEGIN PRIVATE KEY')");
        }
        PrivateKeyInfo info;
        if (o instanceof PrivateKeyInfo) {
            info = (PrivateKeyInfo) o;
        } else if (o instanceof PEMKeyPair) {
            info = ((PEMKeyPair) o).getPrivateKeyInfo();
        } else {
            throw new ConfigException(where + " holds no unencrypted private key (found "
                    + (o == null ? "no PEM object" : o.getClass().getSimpleName())
                    + "); give an unencrypted ECDSA P-256 key, PKCS#8 ('BEGIN PRIVATE KEY')");
        }
        PrivateKey key;
        try {
            key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            throw new ConfigException(where + " is not an EC private key (" + info.getPrivateKeyAlgorithm().getAlgorithm()
                    + "): " + e.getMessage() + "; a QUIC node key must be ECDSA P-256 (secp256r1)");
        }
        if (!(key instanceof ECPrivateKey) || !isP256((ECPrivateKey) key)) {
            throw new ConfigException(where + " is not an ECDSA P-256 (secp256r1) key; a QUIC node key must be P-256"
                    + " (Ed25519 certificates fail in Netty's BoringSSL)");
        }
        BigInteger s = ((ECPrivateKey) key).getS();
        if (s.signum() <= 0 || s.compareTo(PeerIds.p256Params().getOrder()) >= 0) {
            throw new ConfigException(where + " holds an invalid P-256 private scalar");
        }
        return key;
    }

    private static boolean isP256(ECPrivateKey key) {
        var p = key.getParams();
        var r = PeerIds.p256Params();
        return p != null && r.getCurve().equals(p.getCurve()) && r.getGenerator().equals(p.getGenerator())
                && r.getOrder().equals(p.getOrder());
    }

    private static X509Certificate parseCertificate(String pem, Path file) {
        Object o;
        try (PEMParser p = new PEMParser(new StringReader(pem))) {
            o = p.readObject();
        } catch (IOException | RuntimeException e) {
            throw new ConfigException("certificate file " + file.toAbsolutePath() + " is not PEM: " + e.getMessage()
                    + "; delete it to have it made again from the key");
        }
        if (!(o instanceof X509CertificateHolder)) {
            throw new ConfigException("certificate file " + file.toAbsolutePath() + " holds no certificate (found "
                    + (o == null ? "no PEM object" : o.getClass().getSimpleName())
                    + "); delete it to have it made again from the key");
        }
        try {
            return new JcaX509CertificateConverter().getCertificate((X509CertificateHolder) o);
        } catch (CertificateException e) {
            throw new ConfigException("certificate file " + file.toAbsolutePath() + " is not a valid X.509 certificate: "
                    + e.getMessage() + "; delete it to have it made again from the key");
        }
    }

    private static String pem(String type, byte[] der) {
        StringWriter out = new StringWriter();
        try (PemWriter w = new PemWriter(out)) {
            w.writeObject(new PemObject(type, der));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write PEM", e);
        }
        return out.toString();
    }

    static String readFile(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException e) {
            throw new ConfigException("cannot read " + file.toAbsolutePath() + ": " + e);
        }
    }

    private static boolean posix(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static void createDirectory(Path dir) {
        try {
            if (Files.isDirectory(dir)) {
                return;
            }
            if (posix(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(dir);
            }
        } catch (IOException | RuntimeException e) {
            throw new ConfigException("cannot create the identity directory " + dir.toAbsolutePath() + ": " + e);
        }
    }

    private static void writeFile(Path file, String content) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            if (posix(file)) {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(tmp);
            }
            Files.writeString(tmp, content, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // best effort
            }
            throw new ConfigException("cannot write " + file.toAbsolutePath() + ": " + e);
        }
    }
}
