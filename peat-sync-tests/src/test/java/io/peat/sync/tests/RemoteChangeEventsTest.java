package io.peat.sync.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peat.sync.DocKey;
import io.peat.sync.RemoteChange;
import io.peat.sync.SyncBackend;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.automerge.ObjectId;
import org.junit.jupiter.api.Test;

/** The application-visible arrival event, on whole nodes. */
class RemoteChangeEventsTest {

    @Test
    void aPeersChangesAreReportedOnceEachWithKeyPeerAndWhetherNew() throws Exception {
        try (Nodes nodes = new Nodes()) {
            SyncBackend a = nodes.node("a");
            SyncBackend b = nodes.node("b");
            LinkedBlockingQueue<RemoteChange> atB = new LinkedBlockingQueue<>();
            LinkedBlockingQueue<RemoteChange> atA = new LinkedBlockingQueue<>();
            b.addRemoteChangeListener(atB::add, Runnable::run);
            a.addRemoteChangeListener(atA::add, Runnable::run);
            nodes.connect(a, b);
            DocKey key = DocKey.of("notes", "1");

            long before = System.nanoTime();
            Nodes.get(a.change(key, tx -> tx.set(ObjectId.ROOT, "title", "hello")));
            RemoteChange first = atB.poll(30, TimeUnit.SECONDS);
            assertNotNull(first, "b was never told of a's new document");
            assertEquals(key, first.key());
            assertEquals(a.peerId(), first.from());
            assertTrue(first.created(), "the document was new at b");
            assertTrue(first.appliedNanos() >= before, "applied after it was written");
            assertTrue(Nodes.holds(b, key), "the event came before the document was readable at b");

            Nodes.get(a.change(key, tx -> tx.set(ObjectId.ROOT, "title", "again")));
            RemoteChange second = atB.poll(30, TimeUnit.SECONDS);
            assertNotNull(second, "b was never told of a's second change");
            assertFalse(second.created(), "the document was already held");

            // b's own edit is not a remote change at b, and reaches a as one.
            Nodes.get(b.change(key, tx -> tx.set(ObjectId.ROOT, "by", "b")));
            RemoteChange atAEvent = atA.poll(30, TimeUnit.SECONDS);
            assertNotNull(atAEvent, "a was never told of b's change");
            assertEquals(b.peerId(), atAEvent.from());
            assertFalse(atAEvent.created());
            // Converged: the acknowledgements and heads that follow change nothing, so raise nothing.
            Nodes.get(a.read(key, d -> d.get(ObjectId.ROOT, "by")));
            assertNull(atB.poll(300, TimeUnit.MILLISECONDS), "b heard of a change that did not come from a peer");
            assertNull(atA.poll(1, TimeUnit.MILLISECONDS), "a heard more than b's one change");
        }
    }

    @Test
    void everyNewDocumentIsReportedExactlyOnce() throws Exception {
        try (Nodes nodes = new Nodes()) {
            SyncBackend a = nodes.node("a");
            SyncBackend b = nodes.node("b");
            LinkedBlockingQueue<RemoteChange> atB = new LinkedBlockingQueue<>();
            b.addRemoteChangeListener(atB::add, java.util.concurrent.ForkJoinPool.commonPool());
            nodes.connect(a, b);
            int n = 200;
            for (int i = 0; i < n; i++) {
                int seq = i;
                a.change(DocKey.of("telemetry", "a-" + i), tx -> tx.set(ObjectId.ROOT, "seq", seq));
            }
            java.util.Set<DocKey> seen = new java.util.HashSet<>();
            while (seen.size() < n) {
                RemoteChange c = atB.poll(30, TimeUnit.SECONDS);
                assertNotNull(c, "only " + seen.size() + " of " + n + " documents reported; b holds " + Nodes.keysOf(b));
                assertTrue(c.created(), c + " not reported as new");
                assertTrue(seen.add(c.key()), c.key() + " reported twice");
            }
        }
    }
}
