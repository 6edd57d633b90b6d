package io.peat.quic;

import static io.peat.quic.InMemPair.await;
import static io.peat.quic.InMemPair.failure;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peat.spi.ByteStream;
import io.peat.spi.PeerId;
import io.peat.spi.PeerIdentityException;
import io.peat.spi.ProtocolViolationException;
import io.peat.spi.TransportException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class IdentityExchangeTest {

    private static final Duration T = Duration.ofSeconds(5);
    private final NodeIdentity dialerId = NodeIdentity.generate();
    private final NodeIdentity acceptorId = NodeIdentity.generate();

    @Test
    void acceptorLearnsTheDialersDerivedId() throws Exception {
        try (InMemPair p = new InMemPair()) {
            ByteStream d = p.open();
            CompletionStage<Void> dialed = IdentityExchange.dial(d, dialerId, acceptorId.peerId(), T);
            CompletionStage<PeerId> accepted = IdentityExchange.accept(p.acceptorStream(), acceptorId, T);
            assertEquals(dialerId.peerId(), await(accepted));
            await(dialed);
            assertEquals(PeerIds.of(dialerId.certificate()), await(accepted));
        }
    }

    @Test
    void dialingTheWrongAcceptorIsRefusedOnBothSides() throws Exception {
        try (InMemPair p = new InMemPair()) {
            PeerId someoneElse = NodeIdentity.generate().peerId();
            CompletionStage<Void> dialed = IdentityExchange.dial(p.open(), dialerId, someoneElse, T);
            CompletionStage<PeerId> accepted = IdentityExchange.accept(p.acceptorStream(), acceptorId, T);

            IdentityProofException d = assertInstanceOf(IdentityProofException.class, failure(dialed));
            assertTrue(d.byPeer());
            assertEquals(IdentityExchange.STATUS_WRONG_ACCEPTOR, d.status());
            assertTrue(d.getMessage().contains(someoneElse.value()) && d.getMessage().contains(acceptorId.peerId().value()),
                    d.getMessage());

            IdentityProofException a = assertInstanceOf(IdentityProofException.class, failure(accepted));
            assertFalse(a.byPeer());
            assertEquals(IdentityExchange.STATUS_WRONG_ACCEPTOR, a.status());
        }
    }

    @Test
    void aForgedProofIsRefused() throws Exception {
        NodeIdentity victim = NodeIdentity.generate();
        try (InMemPair p = new InMemPair()) {
            InMemPair.Wire w = new InMemPair.Wire(p.open());
            // the forger claims the victim's id and key but can only sign with its own key
            w.write(InMemPair.hello(victim.spki(), victim.peerId(), acceptorId.peerId()));
            CompletionStage<PeerId> accepted = IdentityExchange.accept(p.acceptorStream(), acceptorId, T);
            assertEquals(0, w.read(1)[0]);
            byte[] nonce = w.read(32);
            byte[] msg = IdentityExchange.signedMessage(nonce, acceptorId.peerId(), victim.peerId(), victim.spki());
            w.write(InMemPair.proof(dialerId.sign(msg)));
            assertEquals(IdentityExchange.STATUS_NOT_PROVEN, w.read(1)[0]);
            String reason = reason(w);
            assertTrue(reason.contains("signature does not verify"), reason);
            w.reset();

            IdentityProofException a = assertInstanceOf(IdentityProofException.class, failure(accepted));
            assertEquals(IdentityExchange.STATUS_NOT_PROVEN, a.status());
        }
    }

    @Test
    void anIdThatIsNotDerivedFromTheKeyIsRefused() throws Exception {
        try (InMemPair p = new InMemPair()) {
            InMemPair.Wire w = new InMemPair.Wire(p.open());
            w.write(InMemPair.hello(dialerId.spki(), NodeIdentity.generate().peerId(), acceptorId.peerId()));
            CompletionStage<PeerId> accepted = IdentityExchange.accept(p.acceptorStream(), acceptorId, T);
            assertEquals(IdentityExchange.STATUS_NOT_PROVEN, w.read(1)[0]);
            assertTrue(reason(w).contains(dialerId.peerId().value()));
            w.reset();
            IdentityProofException a = assertInstanceOf(IdentityProofException.class, failure(accepted));
            assertEquals(dialerId.peerId().value(), a.getMessage().replaceAll("^peer at \\S+ is (\\S+),.*$", "$1"));
            assertInstanceOf(PeerIdentityException.class, a);
        }
    }

    @Test
    void aReplayedProofFailsAgainstAFreshNonce() throws Exception {
        byte[] recordedHello = InMemPair.hello(dialerId.spki(), dialerId.peerId(), acceptorId.peerId());
        byte[] recordedProof;
        try (InMemPair p = new InMemPair()) {
            // an honest exchange, written one byte at a time to exercise the incremental reader
            ByteStream s = p.open();
            InMemPair.Wire w = new InMemPair.Wire(s);
            w.writeByteByByte(recordedHello);
            CompletionStage<PeerId> accepted = IdentityExchange.accept(p.acceptorStream(), acceptorId, T);
            assertEquals(0, w.read(1)[0]);
            byte[] nonce = w.read(32);
            recordedProof = InMemPair.proof(dialerId.sign(
                    IdentityExchange.signedMessage(nonce, acceptorId.peerId(), dialerId.peerId(), dialerId.spki())));
            w.writeByteByByte(recordedProof);
            assertEquals(0, w.read(1)[0]);
            await(s.finish());
            assertEquals(dialerId.peerId(), await(accepted));
        }
        try (InMemPair p = new InMemPair()) {
            // an eavesdropper replays both messages on a new connection
            InMemPair.Wire w = new InMemPair.Wire(p.open());
            w.write(recordedHello);
            CompletionStage<PeerId> accepted = IdentityExchange.accept(p.acceptorStream(), acceptorId, T);
            assertEquals(0, w.read(1)[0]);
            w.read(32);
            w.write(recordedProof);
            assertEquals(IdentityExchange.STATUS_NOT_PROVEN, w.read(1)[0]);
            w.reset();
            IdentityProofException a = assertInstanceOf(IdentityProofException.class, failure(accepted));
            assertTrue(a.reason().contains("nonce"), a.reason());
        }
    }

    @Test
    void garbageIsAProtocolViolationOnTheAcceptor() throws Exception {
        try (InMemPair p = new InMemPair()) {
            ByteStream s = p.open();
            InMemPair.Wire w = new InMemPair.Wire(s);
            w.write("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            CompletionStage<PeerId> accepted = IdentityExchange.accept(p.acceptorStream(), acceptorId, T);
            assertEquals(IdentityExchange.STATUS_MALFORMED, w.read(1)[0]);
            assertTrue(reason(w).contains("PEATID"));
            s.reset(1);
            Throwable a = failure(accepted);
            assertInstanceOf(ProtocolViolationException.class, a);
            assertTrue(a.getMessage().contains("magic"), a.getMessage());
        }
    }

    @Test
    void oversizeLengthsAreProtocolViolations() throws Exception {
        try (InMemPair p = new InMemPair()) {
            InMemPair.Wire w = new InMemPair.Wire(p.open());
            byte[] h = InMemPair.hello(new byte[600], dialerId.peerId(), acceptorId.peerId());
            w.write(Arrays.copyOf(h, 9)); // magic, version, spki_len = 600
            CompletionStage<PeerId> accepted = IdentityExchange.accept(p.acceptorStream(), acceptorId, T);
            assertEquals(IdentityExchange.STATUS_MALFORMED, w.read(1)[0]);
            w.reset();
            Throwable a = failure(accepted);
            assertInstanceOf(ProtocolViolationException.class, a);
            assertTrue(a.getMessage().contains("600"), a.getMessage());
        }
        try (InMemPair p = new InMemPair()) {
            ByteStream d = p.open();
            CompletionStage<Void> dialed = IdentityExchange.dial(d, dialerId, acceptorId.peerId(), T);
            InMemPair.Wire w = new InMemPair.Wire(p.acceptorStream());
            w.read(InMemPair.hello(dialerId.spki(), dialerId.peerId(), acceptorId.peerId()).length);
            w.write(new byte[] {7, (byte) 0xff, (byte) 0xff}); // a refusal with a 65535-byte reason
            Throwable e = failure(dialed);
            assertInstanceOf(ProtocolViolationException.class, e);
            assertTrue(e.getMessage().contains("65535"), e.getMessage());
        }
    }

    @Test
    void garbageFromTheAcceptorIsAProtocolViolationOnTheDialer() throws Exception {
        try (InMemPair p = new InMemPair()) {
            CompletionStage<Void> dialed = IdentityExchange.dial(p.open(), dialerId, acceptorId.peerId(), T);
            ByteStream a = p.acceptorStream();
            InMemPair.Wire w = new InMemPair.Wire(a);
            w.read(InMemPair.hello(dialerId.spki(), dialerId.peerId(), acceptorId.peerId()).length);
            w.write(new byte[] {0, 1, 2, 3}); // status 0, then a nonce cut short
            await(a.finish());
            Throwable e = failure(dialed);
            assertInstanceOf(ProtocolViolationException.class, e);
            assertTrue(e.getMessage().contains("ended"), e.getMessage());
        }
    }

    @Test
    void silentPeersTimeOut() throws Exception {
        Duration shortTimeout = Duration.ofMillis(500);
        try (InMemPair p = new InMemPair()) {
            CompletionStage<Void> dialed = IdentityExchange.dial(p.open(), dialerId, acceptorId.peerId(), shortTimeout);
            p.acceptorStream(); // the acceptor never answers
            Throwable e = failure(dialed);
            assertEquals(TransportException.class, e.getClass());
            assertTrue(e.getMessage().contains("timed out after 500 ms"), e.getMessage());
            assertTrue(e.getMessage().contains("CHALLENGE"), e.getMessage());
        }
        try (InMemPair p = new InMemPair()) {
            InMemPair.Wire w = new InMemPair.Wire(p.open());
            w.write("PEAT".getBytes(StandardCharsets.US_ASCII)); // then silence
            CompletionStage<PeerId> accepted = IdentityExchange.accept(p.acceptorStream(), acceptorId, shortTimeout);
            Throwable e = failure(accepted);
            assertEquals(TransportException.class, e.getClass());
            assertTrue(e.getMessage().contains("timed out after 500 ms"), e.getMessage());
            assertEquals(IdentityExchange.STATUS_TIMEOUT, w.read(1)[0]);
            assertTrue(reason(w).contains("timed out"));
        }
    }

    @Test
    void signedMessageBindsNonceAndBothIds() {
        byte[] n1 = new byte[32];
        byte[] n2 = new byte[32];
        n2[0] = 1;
        PeerId a = acceptorId.peerId();
        PeerId d = dialerId.peerId();
        byte[] m = IdentityExchange.signedMessage(n1, a, d, dialerId.spki());
        assertEquals(16 + 1 + 32 + 1 + 37 + 1 + 37 + 2 + 91, m.length);
        assertArrayEquals("peat-identity-v1\0".getBytes(StandardCharsets.US_ASCII), Arrays.copyOf(m, 17));
        assertNotEquals(ByteBuffer.wrap(m), ByteBuffer.wrap(IdentityExchange.signedMessage(n2, a, d, dialerId.spki())));
        assertNotEquals(ByteBuffer.wrap(m), ByteBuffer.wrap(IdentityExchange.signedMessage(n1, d, a, dialerId.spki())));
    }

    private static String reason(InMemPair.Wire w) {
        byte[] len = w.read(2);
        return new String(w.read(((len[0] & 0xff) << 8) | (len[1] & 0xff)), StandardCharsets.UTF_8);
    }
}
