package io.peat.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peat.sync.DocKey;
import io.peat.sync.SyncBackend;
import io.peat.sync.channel.ChannelState;
import java.lang.ref.WeakReference;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Persistent-path pins (SPEC sections 3.7 and 4): two real backends over the transport under
 * test sync both ways on their persistent channel, never on the fallback path.
 */
@Timeout(180)
public abstract class AbstractPersistentPathPins extends AbstractPinTest {

    @Test
    @DisplayName("two backends sync A -> B and B -> A on the persistent path: hasPersistentSyncChannel() on both, zero fallback sends,"
            + " even after a full garbage collection (the backend must own its channel manager)")
    void persistentPathIsWiredAndOwned() throws Exception {
        SyncBackend a = node("a");
        SyncBackend b = node("b");
        // Upstream's bug: the only strong reference to the channel manager was a local that went out
        // of scope. Collect garbage now, so a manager nobody owns is gone before any channel exists.
        forceGarbageCollection();
        connect(a, b);
        DocKey fromA = DocKey.of("docs", "from-a");
        DocKey fromB = DocKey.of("docs", "from-b");
        put(a, fromA, "v", "a");
        put(b, fromB, "v", "b");
        await("A's document on B and B's on A",
                () -> text(b, fromA, "v").equals(Optional.of("a")) && text(a, fromB, "v").equals(Optional.of("b")));

        assertTrue(a.hasPersistentSyncChannel(), "A has no live persistent channel (is the channel manager owned?)");
        assertTrue(b.hasPersistentSyncChannel(), "B has no live persistent channel (is the channel manager owned?)");
        assertTrue(a.hasPersistentSyncChannel(b.peerId()));
        assertTrue(b.hasPersistentSyncChannel(a.peerId()));
        assertEquals(0, a.metrics().fallbackSends(), "A sent over the per-message path in steady state");
        assertEquals(0, b.metrics().fallbackSends(), "B sent over the per-message path in steady state");
    }

    @Test
    @DisplayName("two backends converge both ways with 100 documents on each side, on one channel per peer")
    void hundredDocumentsEachWayConverge() throws Exception {
        SyncBackend a = node("a");
        SyncBackend b = node("b");
        for (int i = 0; i < 100; i++) {
            put(a, DocKey.of("a-docs", "d" + i), "n", "a" + i);
            put(b, DocKey.of("b-docs", "d" + i), "n", "b" + i);
        }
        connect(a, b);
        await("200 documents on both nodes", () -> countConverged(a, b) == 200, () -> "converged: " + countConverged(a, b));
        assertEquals(ChannelState.CONNECTED, a.channel(b.peerId()).orElseThrow().state());
        assertEquals(ChannelState.CONNECTED, b.channel(a.peerId()).orElseThrow().state());
        assertEquals(0, a.metrics().fallbackSends() + b.metrics().fallbackSends(), "fallback sends in steady state");
        assertEquals(0, a.metrics().protocolErrors() + b.metrics().protocolErrors());
    }

    private static int countConverged(SyncBackend a, SyncBackend b) {
        int n = 0;
        for (int i = 0; i < 100; i++) {
            DocKey ka = DocKey.of("a-docs", "d" + i);
            DocKey kb = DocKey.of("b-docs", "d" + i);
            n += text(b, ka, "n").equals(Optional.of("a" + i)) && text(a, ka, "n").isPresent() ? 1 : 0;
            n += text(a, kb, "n").equals(Optional.of("b" + i)) && text(b, kb, "n").isPresent() ? 1 : 0;
        }
        return n;
    }

    /** Runs the collector until a canary object is collected (bounded), so weakly held objects are gone. */
    static void forceGarbageCollection() {
        Object canary = new Object();
        WeakReference<Object> ref = new WeakReference<>(canary);
        canary = null;
        assertNull(canary);
        await("a full garbage collection", () -> {
            System.gc();
            return ref.get() == null;
        });
    }
}
