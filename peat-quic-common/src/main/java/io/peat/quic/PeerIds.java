package io.peat.quic;

import io.peat.spi.PeerId;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Derives the peer id of a QUIC node from its ECDSA P-256 public key:
 * {@code "p256-" + lowercase hex of the first 16 bytes of SHA-256(SubjectPublicKeyInfo DER)}, 37
 * characters. The SubjectPublicKeyInfo is the canonical one ({@link #canonicalSpki}: id-ecPublicKey,
 * named curve secp256r1, uncompressed point, 91 bytes), which is what {@link PublicKey#getEncoded()}
 * returns for the JDK's P-256 keys; so the same key always gives the same id, whatever provider or
 * certificate it came from. Stateless; every method is safe from any thread.
 */
public final class PeerIds {

    /** The prefix of every QUIC peer id. */
    public static final String PREFIX = "p256-";

    /** The length of a QUIC peer id: the prefix and 32 hex digits. */
    public static final int LENGTH = PREFIX.length() + 32;

    /** DER of SEQUENCE { SEQUENCE { id-ecPublicKey, secp256r1 }, BIT STRING (66 bytes: 0, 0x04, X, Y) } up to the point. */
    private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex(
            "3059301306072a8648ce3d020106082a8648ce3d030107034200");

    private static final ECParameterSpec P256 = p256();

    private PeerIds() {
    }

    /**
     * @param key an ECDSA P-256 public key
     * @return its peer id ({@code p256-} and 32 lowercase hex digits)
     * @throws IllegalArgumentException when the key is not an ECDSA P-256 key
     */
    public static PeerId of(PublicKey key) {
        byte[] digest = sha256(canonicalSpki(key));
        return PeerId.of(PREFIX + HexFormat.of().formatHex(digest, 0, 16));
    }

    /**
     * @param certificate a certificate holding an ECDSA P-256 public key
     * @return the peer id of its public key (the certificate itself is not checked here; see
     *     {@link CertificatePinning})
     * @throws IllegalArgumentException when the certificate's key is not an ECDSA P-256 key
     */
    public static PeerId of(X509Certificate certificate) {
        Objects.requireNonNull(certificate, "certificate");
        return of(certificate.getPublicKey());
    }

    /**
     * @param key any public key, or null
     * @return true when it is an EC public key on the NIST P-256 (secp256r1) curve
     */
    public static boolean isP256(PublicKey key) {
        if (!(key instanceof ECPublicKey)) {
            return false;
        }
        ECParameterSpec p = ((ECPublicKey) key).getParams();
        return p != null && P256.getCurve().equals(p.getCurve()) && P256.getGenerator().equals(p.getGenerator())
                && P256.getOrder().equals(p.getOrder()) && P256.getCofactor() == p.getCofactor();
    }

    /**
     * @param key an ECDSA P-256 public key
     * @return a fresh copy of its canonical SubjectPublicKeyInfo DER (named curve, uncompressed point, 91 bytes)
     * @throws IllegalArgumentException when the key is not an ECDSA P-256 key
     */
    public static byte[] canonicalSpki(PublicKey key) {
        Objects.requireNonNull(key, "key");
        if (!isP256(key)) {
            throw new IllegalArgumentException("a QUIC node key must be ECDSA P-256 (secp256r1), got "
                    + key.getAlgorithm() + " " + describe(key));
        }
        ECPoint w = ((ECPublicKey) key).getW();
        byte[] out = Arrays.copyOf(SPKI_PREFIX, SPKI_PREFIX.length + 65);
        out[SPKI_PREFIX.length] = 0x04;
        put32(w.getAffineX(), out, SPKI_PREFIX.length + 1);
        put32(w.getAffineY(), out, SPKI_PREFIX.length + 33);
        return out;
    }

    /**
     * Decodes a SubjectPublicKeyInfo with the JDK's EC key factory.
     *
     * @param spki DER SubjectPublicKeyInfo
     * @return the ECDSA P-256 public key it holds
     * @throws IllegalArgumentException when the bytes are not a P-256 SubjectPublicKeyInfo
     */
    public static PublicKey publicKeyFromSpki(byte[] spki) {
        Objects.requireNonNull(spki, "spki");
        PublicKey key;
        try {
            key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(spki));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("not an EC SubjectPublicKeyInfo (" + spki.length + " bytes): " + e.getMessage(), e);
        }
        if (!isP256(key)) {
            throw new IllegalArgumentException("the public key is not ECDSA P-256 (secp256r1): " + describe(key));
        }
        return key;
    }

    static ECParameterSpec p256Params() {
        return P256;
    }

    private static String describe(PublicKey key) {
        if (key instanceof ECPublicKey) {
            ECParameterSpec p = ((ECPublicKey) key).getParams();
            return "(EC, " + (p == null ? "no parameters" : p.getCurve().getField().getFieldSize() + "-bit field") + ")";
        }
        return "(" + key.getAlgorithm() + ")";
    }

    private static void put32(BigInteger v, byte[] out, int at) {
        byte[] b = v.toByteArray();
        int len = b.length;
        int from = 0;
        if (len > 32) { // leading sign byte
            from = len - 32;
            len = 32;
        }
        System.arraycopy(b, from, out, at + 32 - len, len);
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private static ECParameterSpec p256() {
        try {
            AlgorithmParameters ap = AlgorithmParameters.getInstance("EC");
            ap.init(new ECGenParameterSpec("secp256r1"));
            return ap.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK does not support EC secp256r1 (SunEC)", e);
        }
    }
}
