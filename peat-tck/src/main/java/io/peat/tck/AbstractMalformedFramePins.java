package io.peat.tck;

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
import io.peat.sync.SyncConfig;
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
import org.junit.jupiter.api.Timeout;

/**
 * Malformed-frame pins: a bad frame ends the stream it came on with a typed error that names the
 * peer and the value; the node, and its other peers, go on.
 */
@Timeout(120)
public abstract class AbstractMalformedFramePins extends AbstractPinTest {
    private static final int CAP = 1024 * 1024;

    @Override
    protected SyncConfig syncConfig() {
        return SyncConfig.defaults().withMaxPayloadBytes(CAP);
    }

    private record Setup(SyncBackend node, SyncBackend other, RawEndpoint bad, ByteStream stream) {
    }

    private Setup setup() throws Exception {
        SyncBackend node = node("node");
        SyncBackend other = node("other");
        connect(other, node);
        RawEndpoint bad = raw("bad");
        PeerConnection c = get(bad.transport().connect(address(node.transport()), node.peerId()));
        return new Setup(node, other, bad, get(c.openStream()));
    }

    private void assertStreamResetAndNodeGoesOn(Setup s, String expectedInMessage) throws Exception {
        // The bad stream is reset by the node ...
        ExecutionException e = assertThrows(ExecutionException.class, () -> {
            while (true) {
                Optional<ByteBuffer> chunk = s.stream().read().toCompletableFuture().get(TckTimeouts.await().toMillis(), TimeUnit.MILLISECONDS);
                if (chunk.isEmpty()) {
                    return;
                }
            }
        }, "the node should reset the stream that carried the bad frame");
        assertInstanceOf(StreamResetException.class, e.getCause());
        // ... with a typed error naming the peer and the value ...
        ProtocolViolationException v = s.node().lastProtocolViolation(s.bad().transport().localPeerId()).orElseThrow();
        assertTrue(v.getMessage().contains(s.bad().transport().localPeerId().value()), v.getMessage());
        assertTrue(v.getMessage().contains(expectedInMessage), v.getMessage());
        assertEquals(1, s.node().metrics().protocolErrors());
        // ... and the node goes on with its other peer.
        DocKey key = DocKey.of("docs", "still-alive");
        put(s.other(), key, "v", "ok");
        await("the other peer's document on the node", () -> text(s.node(), key, "v").equals(Optional.of("ok")));
    }

    @Test
    @DisplayName("a frame with doc_key_len 0 resets its stream with a ProtocolViolationException; the node goes on")
    void zeroLengthKey() throws Exception {
        Setup s = setup();
        get(s.stream().write(ByteBuffer.wrap(Hex.bytes("0000 00 00000001 61"))));
        assertStreamResetAndNodeGoesOn(s, "doc_key_len 0");
    }

    @Test
    @DisplayName("a payload over the cap resets its stream before anything is allocated for it; the node goes on")
    void payloadOverCap() throws Exception {
        Setup s = setup();
        // Claims 2 GiB - 1; only the header is sent. Allocating it would fail the test with an OOM.
        get(s.stream().write(ByteBuffer.wrap(Hex.bytes("0006 646f63733a31 01 7fffffff"))));
        assertStreamResetAndNodeGoesOn(s, "payload_len 2147483647, over the limit of " + CAP);
    }

    @Test
    @DisplayName("a FIN in the middle of a frame is an error: the frames before it are applied, the node goes on")
    void finMidFrame() throws Exception {
        Setup s = setup();
        DocKey good = DocKey.of("docs", "before-fin");
        get(s.stream().write(FrameCodec.encode(Frame.of(good.toString(), MessageType.STATE_SNAPSHOT,
                io.peat.tck.AutomergeMessages.snapshot("v", "good")))));
        byte[] next = FrameCodec.encodeToArray(Frame.of("docs:cut", MessageType.STATE_SNAPSHOT, new byte[100]));
        get(s.stream().write(ByteBuffer.wrap(Arrays.copyOf(next, 20))));
        get(s.stream().finish());
        await("the frame before the cut", () -> text(s.node(), good, "v").equals(Optional.of("good")));
        await("the cut to be reported", () -> s.node().metrics().protocolErrors() == 1);
        ProtocolViolationException v = s.node().lastProtocolViolation(s.bad().transport().localPeerId()).orElseThrow();
        assertTrue(v.getMessage().contains("middle of a frame"), v.getMessage());
        DocKey key = DocKey.of("docs", "still-alive");
        put(s.other(), key, "v", "ok");
        await("the other peer's document on the node", () -> text(s.node(), key, "v").equals(Optional.of("ok")));
    }
}
