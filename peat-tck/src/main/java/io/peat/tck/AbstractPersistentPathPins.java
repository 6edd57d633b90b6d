package io.peat.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peat.sync.DocKey;
import io.peat.sync.SyncBackend;
import io.peat.sync.channel.ChannelState;
import java.lang.ref.WeakReference;
import java.util.Optional;
import io.peat.spi.PeerId;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.RepeatedTest;
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

    @RepeatedTest(5)
    @DisplayName("both nodes dial each other at once, with documents to send: they settle on ONE stream that both ends agree on,"
            + " and converge")
    void simultaneousDialSettlesOnOneStream() throws Exception {
        SyncBackend a = node("a");
        SyncBackend b = node("b");
        for (int i = 0; i < 20; i++) {
            put(a, DocKey.of("a-docs", "d" + i), "n", "a" + i);
            put(b, DocKey.of("b-docs", "d" + i), "n", "b" + i);
        }
        CompletableFuture<Void> ab = a.connect(address(b.transport()), b.peerId()).toCompletableFuture();
        CompletableFuture<Void> ba = b.connect(address(a.transport()), a.peerId()).toCompletableFuture();
        get(CompletableFuture.allOf(ab, ba));
        await("40 documents on both nodes", () -> countPrefix(a, b, 20) == 40);
        // One stream: both ends name the same opener (when both opened one, the lower id's won).
        await("both ends of the channel on the same stream", () -> opener(a, b).isPresent() && opener(a, b).equals(opener(b, a)),
                () -> "A: " + a.channel(b.peerId()) + " on " + opener(a, b) + ", B: " + b.channel(a.peerId()) + " on " + opener(b, a));

        long fallbackBefore = a.metrics().fallbackSends() + b.metrics().fallbackSends();
        Optional<PeerId> settled = opener(a, b);
        DocKey later = DocKey.of("docs", "later");
        put(a, later, "n", "x");
        put(b, DocKey.of("docs", "later-b"), "n", "y");
        await("later documents both ways", () -> text(b, later, "n").isPresent() && text(a, DocKey.of("docs", "later-b"), "n").isPresent());
        assertEquals(fallbackBefore, a.metrics().fallbackSends() + b.metrics().fallbackSends(), "fallback sends once settled");
        assertEquals(settled, opener(a, b), "A switched streams after settling");
        assertEquals(settled, opener(b, a), "B switched streams after settling");
    }

    private static Optional<PeerId> opener(SyncBackend self, SyncBackend other) {
        return self.channel(other.peerId()).flatMap(c -> c.currentStreamOpener(self.peerId()));
    }

    private static int countPrefix(SyncBackend a, SyncBackend b, int n) {
        int c = 0;
        for (int i = 0; i < n; i++) {
            c += text(b, DocKey.of("a-docs", "d" + i), "n").isPresent() ? 1 : 0;
            c += text(a, DocKey.of("b-docs", "d" + i), "n").isPresent() ? 1 : 0;
        }
        return c;
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
