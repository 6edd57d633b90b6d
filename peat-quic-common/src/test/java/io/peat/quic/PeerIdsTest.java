package io.peat.quic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peat.spi.PeerId;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class PeerIdsTest {

    @Test
    void idIsPrefixAndHexOfTheSpkiDigest() throws Exception {
        NodeIdentity n = NodeIdentity.generate();
        PeerId id = n.peerId();
        assertTrue(id.value().matches("p256-[0-9a-f]{32}"), id.value());
        assertEquals(37, id.value().length());
        byte[] spki = n.publicKey().getEncoded();
        assertArrayEquals(spki, n.spki(), "canonical SPKI equals the JDK encoding of a SunEC P-256 key");
        assertEquals(91, spki.length);
        byte[] d = MessageDigest.getInstance("SHA-256").digest(spki);
        assertEquals("p256-" + HexFormat.of().formatHex(d, 0, 16), id.value());
    }

    @Test
    void sameKeyGivesSameIdEverywhere() throws Exception {
        KeyPair kp = TestCerts.ec("secp256r1");
        PeerId a = PeerIds.of(kp.getPublic());
        assertEquals(a, PeerIds.of(kp.getPublic()));
        assertEquals(a, PeerIds.of(PeerIds.publicKeyFromSpki(kp.getPublic().getEncoded())));
        NodeIdentity n = NodeIdentity.generate();
        assertEquals(n.peerId(), PeerIds.of(n.certificate()));
        assertEquals(n.peerId(), NodeIdentity.fromPrivateKeyPem(n.privateKeyPem()).peerId());
    }

    @Test
    void differentKeysGiveDifferentIds() {
        assertNotEquals(NodeIdentity.generate().peerId(), NodeIdentity.generate().peerId());
    }

    @Test
    void otherKeysAreRefused() throws Exception {
        IllegalArgumentException rsa = assertThrows(IllegalArgumentException.class,
                () -> PeerIds.of(TestCerts.rsa().getPublic()));
        assertTrue(rsa.getMessage().contains("P-256"), rsa.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PeerIds.of(TestCerts.ec("secp384r1").getPublic()));
        assertThrows(IllegalArgumentException.class,
                () -> PeerIds.publicKeyFromSpki(TestCerts.ec("secp384r1").getPublic().getEncoded()));
        assertThrows(IllegalArgumentException.class, () -> PeerIds.publicKeyFromSpki(new byte[] {1, 2, 3}));
    }
}
