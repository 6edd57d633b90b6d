package io.peat.tck;

import static io.peat.tck.DocumentAccess.countPresent;
import static io.peat.tck.DocumentAccess.put;
import static io.peat.tck.DocumentAccess.text;
import static io.peat.tck.TckWaits.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peat.spi.PeatException;
import io.peat.sync.DocKey;
import io.peat.sync.SyncBackend;
import io.peat.sync.ChannelState;
import io.peat.sync.ConformanceHooks;
import io.peat.sync.PeerChannel;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * S4 reconnect (CONTRACT.md): a stale writer or reader of an older generation cannot change the
 * state of a newer stream, and a connection killed in the middle of a frame recovers with every
 * document converging. Required: these need the fixture's {@link FaultInjector}.
 */
public interface ReconnectClauses extends TckSupport {

    @Test
    @DisplayName("S4.1 after a reconnect, a task of the old generation cannot move the new stream's channel back to RECONNECTING")
    default void required_S4_1_staleGenerationCannotOverwriteNewerState() throws Exception {
        FaultInjector faults = requireFaults();
        SyncBackend a = node("a");
        SyncBackend b = node("b");
        connect(a, b);
        put(a, DocKey.of("docs", "1"), "v", "1");
        await("the first document on B", () -> text(b, DocKey.of("docs", "1"), "v").isPresent());
        PeerChannel channel = a.channel(b.peerId()).orElseThrow();
        long old = channel.generation();

        faults.killConnections(a.peerId(), b.peerId());
        // Settled: A reconnected on a newer generation, and both ends are connected on the same stream
        // (on a network transport B notices the loss later and may still switch streams before this).
        await("both ends reconnected and settled on one stream, A on a newer generation",
                () -> channel.state() == ChannelState.CONNECTED && channel.generation() > old + 1 && settledOnOneStream(a, b),
                () -> "A: " + channel + ", B: " + b.channel(a.peerId()));
        long current = channel.generation();

        // The old incarnation's writer or reader reports its stream's failure late.
        assertFalse(ConformanceHooks.reportStreamFailure(a, b.peerId(), old, new PeatException("late failure from the old stream")),
                "a stale generation was allowed to change channel state");
        assertEquals(ChannelState.CONNECTED, channel.state());
        assertEquals(current, channel.generation());

        // And the new stream still carries traffic.
        put(a, DocKey.of("docs", "2"), "v", "2");
        await("a document written after the reconnect", () -> text(b, DocKey.of("docs", "2"), "v").isPresent());
        assertTrue(a.hasPersistentSyncChannel(b.peerId()));
    }

    private static boolean settledOnOneStream(SyncBackend a, SyncBackend b) {
        var atA = a.channel(b.peerId()).flatMap(c -> c.state() == ChannelState.CONNECTED ? c.currentStreamOpener(a.peerId())
                : java.util.Optional.empty());
        var atB = b.channel(a.peerId()).flatMap(c -> c.state() == ChannelState.CONNECTED ? c.currentStreamOpener(b.peerId())
                : java.util.Optional.empty());
        return atA.isPresent() && atA.equals(atB);
    }

    @Test
    @DisplayName("S4.2 a connection killed in the middle of a frame recovers, every document converges both ways, and traffic"
            + " returns to the persistent stream")
    default void required_S4_2_connectionKilledMidFrameRecovers() throws Exception {
        FaultInjector faults = requireFaults();
        SyncBackend[] pair = syncedPair();
        SyncBackend a = pair[0];
        SyncBackend b = pair[1];

        // 1,000 bytes from now, the connection dies: inside one of the frames written next.
        faults.killConnectionsAfterBytes(a.peerId(), b.peerId(), 1_000);
        for (int i = 0; i < 60; i++) {
            put(a, DocKey.of("after", "d" + i), "v", "y".repeat(40) + i);
            put(b, DocKey.of("back", "d" + i), "v", "z" + i);
        }
        await("every document on both sides after the kill",
                () -> countPresent(b, "after", 60, "v") == 60 && countPresent(a, "back", 60, "v") == 60,
                () -> "B has " + countPresent(b, "after", 60, "v") + "/60 of A's, A has " + countPresent(a, "back", 60, "v")
                        + "/60 of B's; A: " + a.channel(b.peerId()).map(Object::toString).orElse("no channel") + ", B: "
                        + b.channel(a.peerId()).map(Object::toString).orElse("no channel") + ", reconnects A " + a.metrics().reconnects()
                        + ", B " + b.metrics().reconnects());
        assertTrue(a.metrics().reconnects() + b.metrics().reconnects() >= 1, "no reconnect happened: the fault did not fire");
        await("the persistent path live again on both sides",
                () -> a.hasPersistentSyncChannel(b.peerId()) && b.hasPersistentSyncChannel(a.peerId()));

        // Once connected again, traffic is back on the persistent stream: the fallback counter stands still.
        long fallbackBefore = a.metrics().fallbackSends() + b.metrics().fallbackSends();
        for (int i = 0; i < 20; i++) {
            put(a, DocKey.of("later", "d" + i), "v", "l" + i);
        }
        await("20 documents written after the recovery", () -> countPresent(b, "later", 20, "v") == 20);
        assertEquals(fallbackBefore, a.metrics().fallbackSends() + b.metrics().fallbackSends(),
                "sends took the per-message path although the persistent stream was back");
    }

    @Test
    @DisplayName("S4.3 A connection that went silent (a pulled cable: no close, no reset) is noticed, and every document"
            + " converges both ways on a new one")
    default void required_S4_3_silentConnectionRecovers() throws Exception {
        FaultInjector faults = requireFaults();
        SyncBackend[] pair = syncedPair();
        SyncBackend a = pair[0];
        SyncBackend b = pair[1];

        faults.silenceConnections(a.peerId(), b.peerId());
        for (int i = 0; i < 20; i++) {
            put(a, DocKey.of("after", "d" + i), "v", "y" + i);
            put(b, DocKey.of("back", "d" + i), "v", "z" + i);
        }
        await("every document on both sides after the connection went silent",
                () -> countPresent(b, "after", 20, "v") == 20 && countPresent(a, "back", 20, "v") == 20,
                () -> "B has " + countPresent(b, "after", 20, "v") + "/20 of A's, A has " + countPresent(a, "back", 20, "v")
                        + "/20 of B's; A: " + a.channel(b.peerId()).map(Object::toString).orElse("no channel") + ", B: "
                        + b.channel(a.peerId()).map(Object::toString).orElse("no channel"));
        assertTrue(a.metrics().reconnects() + b.metrics().reconnects() >= 1, "no reconnect: the silence did not take");
    }

    /** @return nodes a and b, a connected to b, with 10 documents of a's already on b */
    private SyncBackend[] syncedPair() throws Exception {
        SyncBackend a = node("a");
        SyncBackend b = node("b");
        connect(a, b);
        for (int i = 0; i < 10; i++) {
            put(a, DocKey.of("before", "d" + i), "v", "x" + i);
        }
        await("10 documents on B", () -> countPresent(b, "before", 10, "v") == 10);
        return new SyncBackend[] {a, b};
    }
}
