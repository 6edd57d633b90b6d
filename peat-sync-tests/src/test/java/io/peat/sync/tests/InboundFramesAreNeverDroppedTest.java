package io.peat.sync.tests;

import static io.peat.sync.tests.Nodes.get;
import static io.peat.sync.tests.Nodes.holds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peat.spi.PeatException;
import io.peat.sync.DocKey;
import io.peat.sync.SyncBackend;
import io.peat.sync.SyncConfig;
import io.peat.sync.wire.MessageType;
import io.peat.tck.DocumentAccess;
import io.peat.tck.TckWaits;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 10, fault 2 (SPEC 3.12): frames read from a peer are applied even while the node's queue of
 * local work is full. On the old code they went through that bounded queue, were refused, logged and
 * dropped, and the peer's documents never arrived (its sync state believed they had).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class InboundFramesAreNeverDroppedTest {
    private static final int LOCAL_QUEUE = 16;
    private static final int DOCS = 50;
    private final Nodes nodes = new Nodes();

    @AfterEach
    void close() {
        nodes.close();
    }

    @Test
    void framesArrivingWhileTheLocalQueueIsFullAreAllApplied() throws Exception {
        SyncBackend a = nodes.node("a", SyncConfig.defaults().withCoordinatorQueue(LOCAL_QUEUE));
        SyncBackend b = nodes.node("b");
        nodes.connect(b, a);
        DocKey warmUp = DocKey.of("b", "warm-up");
        DocumentAccess.put(b, warmUp, "v", "up");
        TckWaits.await("b's first document at a", () -> holds(a, warmUp));
        long before = a.metrics().peer(b.peerId()).received(MessageType.DELTA_SYNC);

        // Hold a's sync thread, then fill its local lane to the limit.
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch holding = new CountDownLatch(1);
        CompletableFuture<?> blocker = a.change(DocKey.of("local", "blocker"), tx -> {
            holding.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }).toCompletableFuture();
        assertTrue(holding.await(30, TimeUnit.SECONDS), "a's sync thread runs the blocking edit");
        List<CompletableFuture<?>> queued = new ArrayList<>();
        for (int i = 0; i < LOCAL_QUEUE; i++) {
            queued.add(a.keys().toCompletableFuture());
        }
        ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> a.keys().toCompletableFuture().get(30, TimeUnit.SECONDS));
        assertTrue(refused.getCause() instanceof PeatException && refused.getCause().getMessage().contains("full"),
                "the local lane is full, and says so: " + refused.getCause());

        // b writes new documents while a cannot take local work.
        for (int i = 0; i < DOCS; i++) {
            DocumentAccess.put(b, DocKey.of("b", "doc-" + i), "v", "value-" + i);
        }
        // a reads b's frames while its thread is held: the first delivery waits for the thread, and the
        // stream is not read further until it was applied (the old code refused and dropped it instead).
        TckWaits.await("a has read frames of b's new documents", () ->
                a.metrics().peer(b.peerId()).received(MessageType.DELTA_SYNC) > before);

        release.countDown();
        get(blocker);
        for (CompletableFuture<?> f : queued) {
            get(f);
        }
        TckWaits.await("every document of b at a", () -> {
            for (int i = 0; i < DOCS; i++) {
                if (!holds(a, DocKey.of("b", "doc-" + i))) {
                    return false;
                }
            }
            return true;
        });
        assertEquals(0, a.metrics().reconnects(), "delivered without a reconnect");
        assertEquals(0, a.metrics().protocolErrors());
    }
}
