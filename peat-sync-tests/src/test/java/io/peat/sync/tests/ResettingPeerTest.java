package io.peat.sync.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peat.spi.ByteStream;
import io.peat.spi.SyncTransport;
import io.peat.sync.SyncBackend;
import io.peat.sync.wire.Frame;
import io.peat.sync.wire.FrameCodec;
import io.peat.sync.wire.MessageType;
import io.peat.tck.AutomergeMessages;
import io.peat.tck.TckWaits;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A peer that resets every stream the node opens toward it must not make the node spin: each
 * stream that dies right after it was attached counts as a failed attempt and retries back off.
 * (Found while pinning issue 10: the node reconnected about 3,000 times a second.)
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ResettingPeerTest {
    private final Nodes nodes = new Nodes();

    @AfterEach
    void close() {
        nodes.close();
    }

    @Test
    void reconnectsToAPeerThatResetsEveryStreamBackOff() throws Exception {
        SyncBackend a = nodes.node("a");
        SyncTransport bad = nodes.raw("bad"); // resets every stream opened toward it
        ByteStream s = nodes.streamInto(bad, a);
        Nodes.get(s.write(ByteBuffer.wrap(FrameCodec.encodeToArray(
                Frame.of("x:1", MessageType.DELTA_SYNC, AutomergeMessages.deltaCarryingChanges("v", "1"))))));
        s.reset(0); // the peer's own stream goes too: a now redials it on streams the peer resets
        TckWaits.await("a noticed the loss", () -> a.metrics().reconnects() >= 1);

        long start = System.nanoTime();
        TckWaits.await("3 s of watching", () -> System.nanoTime() - start > TimeUnit.SECONDS.toNanos(3));
        long reconnects = a.metrics().reconnects();
        assertTrue(reconnects <= 12, reconnects + " reconnects in 3 s toward a peer that resets every stream");
    }
}
