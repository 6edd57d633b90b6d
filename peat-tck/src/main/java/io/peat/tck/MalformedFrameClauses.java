package io.peat.tck;

import static io.peat.tck.DocumentAccess.put;
import static io.peat.tck.DocumentAccess.text;
import static io.peat.tck.TckWaits.await;
import static io.peat.tck.TckWaits.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peat.spi.ByteStream;
import io.peat.spi.PeerConnection;
import io.peat.spi.ProtocolViolationException;
import io.peat.spi.StreamResetException;
import io.peat.sync.DocKey;
import io.peat.sync.SyncBackend;
import io.peat.sync.wire.Frame;
import io.peat.sync.wire.FrameCodec;
import io.peat.sync.wire.MessageType;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * S5 malformed frames (CONTRACT.md): a bad frame ends the stream it came on with a typed error
 * that names the peer and the value; the node, and its other peers, go on.
 */
public interface MalformedFrameClauses extends TckSupport {

    /** The payload cap the node under attack runs with. */
    int MALFORMED_CAP = 1024 * 1024;

    /** A node with another peer, and a bare endpoint's stream into the node. */
    record Attack(SyncBackend node, SyncBackend other, RawEndpoint bad, ByteStream stream) {
        void assertNodeGoesOnWithItsOtherPeer() throws Exception {
            DocKey key = DocKey.of("docs", "still-alive");
            put(other, key, "v", "ok");
            await("the other peer's document on the node", () -> text(node, key, "v").equals(Optional.of("ok")));
        }

        ProtocolViolationException violation() {
            return node.lastProtocolViolation(bad.transport().localPeerId())
                    .orElseThrow(() -> new AssertionError("the node recorded no protocol violation from " + bad.transport().localPeerId()));
        }
    }

    private Attack attack() throws Exception {
        SyncBackend node = node("node", syncConfig().withMaxPayloadBytes(MALFORMED_CAP));
        SyncBackend other = node("other");
        connect(other, node);
        RawEndpoint bad = raw("bad");
        PeerConnection c = get(bad.transport().connect(address(node.transport()), node.peerId()));
        return new Attack(node, other, bad, get(c.openStream()));
    }

    private static void assertStreamResetAndNodeGoesOn(Attack s, String expectedInMessage) throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class, () -> {
            while (true) {
                Optional<ByteBuffer> chunk = s.stream().read().toCompletableFuture().get(TckTimeouts.await().toMillis(), TimeUnit.MILLISECONDS);
                if (chunk.isEmpty()) {
                    return;
                }
            }
        }, "the node should reset the stream that carried the bad frame");
        assertInstanceOf(StreamResetException.class, e.getCause());
        ProtocolViolationException v = s.violation();
        assertTrue(v.getMessage().contains(s.bad().transport().localPeerId().value()), "names the peer: " + v.getMessage());
        assertTrue(v.getMessage().contains(expectedInMessage), v.getMessage());
        assertEquals(1, s.node().metrics().protocolErrors());
        s.assertNodeGoesOnWithItsOtherPeer();
    }

    @Test
    @DisplayName("S5.1 a frame with doc_key_len 0 resets its stream with a ProtocolViolationException naming the peer; the node goes on")
    default void required_S5_1_zeroLengthKeyResetsTheStream() throws Exception {
        Attack s = attack();
        get(s.stream().write(ByteBuffer.wrap(Hex.bytes("0000 00 00000001 61"))));
        assertStreamResetAndNodeGoesOn(s, "doc_key_len 0");
    }

    @Test
    @DisplayName("S5.2 a payload over the cap resets its stream before anything is allocated for it; the error names the peer,"
            + " the length and the limit; the node goes on")
    default void required_S5_2_payloadOverTheCapResetsTheStream() throws Exception {
        Attack s = attack();
        // Claims 2 GiB - 1; only the header is sent. Allocating it would fail the clause with an OOM.
        get(s.stream().write(ByteBuffer.wrap(Hex.bytes("0006 646f63733a31 01 7fffffff"))));
        assertStreamResetAndNodeGoesOn(s, "payload_len 2147483647, over the limit of " + MALFORMED_CAP);
    }

    @Test
    @DisplayName("S5.3 a FIN in the middle of a frame is an error: the frames before it are applied, the node goes on")
    default void required_S5_3_finMidFrameIsAnError() throws Exception {
        Attack s = attack();
        DocKey good = DocKey.of("docs", "before-fin");
        get(s.stream().write(FrameCodec.encode(Frame.of(good.toString(), MessageType.STATE_SNAPSHOT,
                AutomergeMessages.snapshot("v", "good")))));
        byte[] next = FrameCodec.encodeToArray(Frame.of("docs:cut", MessageType.STATE_SNAPSHOT, new byte[100]));
        get(s.stream().write(ByteBuffer.wrap(Arrays.copyOf(next, 20))));
        get(s.stream().finish());
        await("the frame before the cut", () -> text(s.node(), good, "v").equals(Optional.of("good")));
        await("the cut to be reported", () -> s.node().metrics().protocolErrors() == 1);
        assertTrue(s.violation().getMessage().contains("middle of a frame"), s.violation().getMessage());
        s.assertNodeGoesOnWithItsOtherPeer();
    }
}
