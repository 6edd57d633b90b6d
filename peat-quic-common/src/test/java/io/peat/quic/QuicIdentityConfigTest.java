package io.peat.quic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peat.spi.ConfigException;
import io.peat.spi.PeerId;
import io.peat.spi.TransportConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuicIdentityConfigTest {

    @TempDir
    Path tmp;

    @Test
    void directoryKeepsTheIdentityAcrossStarts() {
        TransportConfig c = TransportConfig.builder().property("quic.identity.dir", tmp.resolve("node").toString()).build();
        NodeIdentity first = QuicIdentityConfig.from(c);
        assertEquals(first.peerId(), QuicIdentityConfig.from(c).peerId());
        assertTrue(Files.exists(tmp.resolve("node").resolve(NodeIdentity.KEY_FILE)));
    }

    @Test
    void suppliedKeyTextAndKeyFile() throws Exception {
        NodeIdentity n = NodeIdentity.generate();
        TransportConfig byText = TransportConfig.builder().property("quic.identity.key", n.privateKeyPem()).build();
        assertEquals(n.peerId(), QuicIdentityConfig.from(byText).peerId());
        Path f = tmp.resolve("k.pem");
        Files.writeString(f, n.privateKeyPem());
        TransportConfig byFile = TransportConfig.builder().property("quic.identity.keyFile", f.toString())
                .localPeerId(n.peerId()).build();
        assertEquals(n.peerId(), QuicIdentityConfig.from(byFile).peerId());
        TransportConfig missing = TransportConfig.builder()
                .property("quic.identity.keyFile", tmp.resolve("nope.pem").toString()).build();
        ConfigException e = assertThrows(ConfigException.class, () -> QuicIdentityConfig.from(missing));
        assertTrue(e.getMessage().contains("nope.pem") && e.getMessage().contains("quic.identity.keyFile"), e.getMessage());
        TransportConfig bad = TransportConfig.builder().property("quic.identity.key", "garbage").build();
        ConfigException b = assertThrows(ConfigException.class, () -> QuicIdentityConfig.from(bad));
        assertTrue(b.getMessage().contains("quic.identity.key"), b.getMessage());
    }

    @Test
    void withoutPropertiesTheIdentityIsEphemeral() {
        TransportConfig c = TransportConfig.builder().build();
        assertNotEquals(QuicIdentityConfig.from(c).peerId(), QuicIdentityConfig.from(c).peerId());
    }

    @Test
    void aChosenPeerIdThatIsNotTheDerivedOneIsRefused() {
        NodeIdentity n = NodeIdentity.generate();
        TransportConfig c = TransportConfig.builder().localPeerId(PeerId.of("alice"))
                .property("quic.identity.key", n.privateKeyPem()).build();
        ConfigException e = assertThrows(ConfigException.class, () -> QuicIdentityConfig.from(c));
        assertTrue(e.getMessage().contains("alice") && e.getMessage().contains(n.peerId().value())
                && e.getMessage().contains("derived from its key"), e.getMessage());
    }

    @Test
    void durations() {
        TransportConfig none = TransportConfig.builder().build();
        assertEquals(Duration.ofSeconds(5), QuicIdentityConfig.idleTimeout(none));
        assertEquals(Duration.ofSeconds(1), QuicIdentityConfig.keepAlive(none));
        assertEquals(Duration.ofSeconds(10), QuicIdentityConfig.handshakeTimeout(none));
        TransportConfig set = TransportConfig.builder().property("quic.idleTimeout", "PT30S")
                .property("quic.keepAlive", "250ms").property("quic.handshakeTimeout", "2000").build();
        assertEquals(Duration.ofSeconds(30), QuicIdentityConfig.idleTimeout(set));
        assertEquals(Duration.ofMillis(250), QuicIdentityConfig.keepAlive(set));
        assertEquals(Duration.ofSeconds(2), QuicIdentityConfig.handshakeTimeout(set));
        TransportConfig zero = TransportConfig.builder().property("quic.keepAlive", "0").build();
        assertThrows(ConfigException.class, () -> QuicIdentityConfig.keepAlive(zero));
    }
}
