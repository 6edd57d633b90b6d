package io.peat.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.peat.spi.PeatException;
import io.peat.sync.DocKey;
import io.peat.sync.SyncBackend;
import io.peat.sync.channel.ChannelState;
import io.peat.sync.channel.SyncChannel;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Reconnect pins (SPEC sections 3.5, 3.8 and 4): a stale writer or reader of an older generation
 * cannot change the state of a newer stream, and a connection killed in the middle of a frame
 * recovers with every document converging. Needs the fixture's {@link FaultInjector}; without one
 * these pins are skipped with that reason.
 */
@Timeout(180)
public abstract class AbstractReconnectPins extends AbstractPinTest {

    private FaultInjector faults() {
        Optional<FaultInjector> f = fixture().faults();
        assumeTrue(f.isPresent(), "the fixture offers no FaultInjector, so connections cannot be killed on command");
        return f.get();
    }

    @Test
    @DisplayName("after a reconnect, a task of the old generation cannot move the new stream's channel to RECONNECTING")
    void staleGenerationCannotOverwriteNewerState() throws Exception {
        FaultInjector faults = faults();
        SyncBackend a = node("a");
        SyncBackend b = node("b");
        connect(a, b);
        put(a, DocKey.of("docs", "1"), "v", "1");
        await("the first document on B", () -> text(b, DocKey.of("docs", "1"), "v").isPresent());
        SyncChannel channel = a.channel(b.peerId()).orElseThrow();
        long old = channel.generation();

        faults.killConnections(a.peerId(), b.peerId());
        await("A's channel to fail and reconnect on a newer generation",
                () -> channel.state() == ChannelState.CONNECTED && channel.generation() > old + 1,
                () -> channel.toString());
        long current = channel.generation();

        // The old incarnation's writer or reader reports its stream's failure late.
        assertFalse(channel.markFailed(old, new PeatException("late failure from the old stream")),
                "a stale generation was allowed to change channel state");
        assertEquals(ChannelState.CONNECTED, channel.state());
        assertEquals(current, channel.generation());

        // And the new stream still carries traffic.
        put(a, DocKey.of("docs", "2"), "v", "2");
        await("a document written after the reconnect", () -> text(b, DocKey.of("docs", "2"), "v").isPresent());
        assertTrue(a.hasPersistentSyncChannel(b.peerId()));
    }

    @Test
    @DisplayName("a connection killed in the middle of a frame recovers, and every document converges both ways")
    void connectionKilledMidFrameRecovers() throws Exception {
        FaultInjector faults = faults();
        SyncBackend a = node("a");
        SyncBackend b = node("b");
        connect(a, b);
        for (int i = 0; i < 10; i++) {
            put(a, DocKey.of("before", "d" + i), "v", "x" + i);
        }
        await("10 documents on B", () -> count(b, "before", 10) == 10);

        // 1,000 bytes from now, the connection dies: inside one of the frames written next.
        faults.killConnectionsAfterBytes(a.peerId(), b.peerId(), 1_000);
        for (int i = 0; i < 60; i++) {
            put(a, DocKey.of("after", "d" + i), "v", "y".repeat(40) + i);
            put(b, DocKey.of("back", "d" + i), "v", "z" + i);
        }
        await("every document on both sides after the kill",
                () -> count(b, "after", 60) == 60 && count(a, "back", 60) == 60 && count(a, "after", 60) == 60,
                () -> "B has " + count(b, "after", 60) + "/60 of A's, A has " + count(a, "back", 60) + "/60 of B's; "
                        + a.channel(b.peerId()).map(Object::toString).orElse("no channel"));
        assertTrue(a.metrics().reconnects() + b.metrics().reconnects() >= 1, "no reconnect happened: the fault did not fire");
        await("the persistent path live again on both sides",
                () -> a.hasPersistentSyncChannel(b.peerId()) && b.hasPersistentSyncChannel(a.peerId()));

        // Once connected again, traffic is back on the persistent stream: the fallback counter stands still.
        long fallbackBefore = a.metrics().fallbackSends() + b.metrics().fallbackSends();
        for (int i = 0; i < 20; i++) {
            put(a, DocKey.of("later", "d" + i), "v", "l" + i);
        }
        await("20 documents written after the recovery", () -> count(b, "later", 20) == 20);
        assertEquals(fallbackBefore, a.metrics().fallbackSends() + b.metrics().fallbackSends(),
                "sends took the per-message path although the persistent stream was back");
    }

    private static int count(SyncBackend node, String collection, int n) {
        int c = 0;
        for (int i = 0; i < n; i++) {
            c += text(node, DocKey.of(collection, "d" + i), "v").isPresent() ? 1 : 0;
        }
        return c;
    }
}
