package io.peat.sync.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.peat.spi.ByteStream;
import io.peat.spi.SyncTransport;
import io.peat.sync.DocKey;
import io.peat.sync.SyncBackend;
import io.peat.sync.wire.Frame;
import io.peat.sync.wire.FrameCodec;
import io.peat.sync.wire.MessageType;
import io.peat.sync.wire.SyncBatch;
import io.peat.tck.AutomergeMessages;
import io.peat.tck.TckWaits;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Sync messages a peer wrote on a persistent stream that was replaced after they crossed are
 * dropped when they are read after the reset: they answer sync states that no longer exist. Found as
 * a flake of kit clause S3.3 on netty (1 run in 20 under load): after a simultaneous dial, one side
 * read the other's old-stream messages into its fresh states and both waited for each other, so 20
 * documents never arrived. Frames that are not sync messages are still applied from the old stream.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StaleSyncMessagesPinTest {
    private final Nodes nodes = new Nodes();

    @AfterEach
    void close() {
        nodes.close();
    }

    @Test
    void syncMessagesReadOffAReplacedStreamAfterTheResetAreDropped() throws Exception {
        SyncBackend b = nodes.node("b");
        SyncTransport a = nodes.raw("a");
        ByteStream first = nodes.streamInto(a, b);
        write(first, opener());
        TckWaits.await("b adopted the first stream", () -> b.hasPersistentSyncChannel(a.localPeerId()));
        long generation = b.channel(a.localPeerId()).orElseThrow().generation();

        // The peer comes back on a new connection: b adopts its new stream and resets the peer's sync states.
        ByteStream second = nodes.streamInto(a, b);
        write(second, opener());
        TckWaits.await("b moved to the second stream", () -> b.channel(a.localPeerId()).orElseThrow().generation() > generation);

        DocKey stale = DocKey.of("x", "stale");
        DocKey marker = DocKey.of("x", "marker");
        byte[] delta = AutomergeMessages.deltaCarryingChanges("v", "1");
        write(first, Frame.of(stale.toString(), MessageType.DELTA_SYNC, delta),
                Frame.of(marker.toString(), MessageType.STATE_SNAPSHOT, AutomergeMessages.snapshot("v", "m")));
        TckWaits.await("the snapshot after it on the old stream applied", () -> Nodes.holds(b, marker));
        assertFalse(Nodes.holds(b, stale), "a sync message read off the replaced stream after the reset was applied");

        write(second, Frame.of(stale.toString(), MessageType.DELTA_SYNC, delta));
        TckWaits.await("the same message on the current stream applied", () -> Nodes.holds(b, stale));
        assertEquals(0, b.metrics().protocolErrors(), "protocol errors");
    }

    private static Frame opener() {
        return new SyncBatch(1, System.currentTimeMillis(), SyncBatch.DEFAULT_TTL, List.of()).toFrame();
    }

    private static void write(ByteStream s, Frame... frames) throws Exception {
        for (Frame f : frames) {
            Nodes.get(s.write(ByteBuffer.wrap(FrameCodec.encodeToArray(f))));
        }
    }
}
