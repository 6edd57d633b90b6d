package io.peat.tck;

import static io.peat.tck.DocumentAccess.countPresent;
import static io.peat.tck.DocumentAccess.put;
import static io.peat.tck.DocumentAccess.text;
import static io.peat.tck.TckWaits.get;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peat.sync.DocKey;
import io.peat.sync.SyncBackend;
import io.peat.sync.wire.Frame;
import io.peat.sync.wire.MessageType;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.automerge.AmValue;
import org.automerge.Document;
import org.automerge.ObjectId;
import org.automerge.Transaction;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * I1 bulk interop (CONTRACT.md): the volumes a real mesh moves, between a node on transport A that
 * dials a node on transport B ({@link InteropTck}): many documents both ways, and snapshots of
 * several mebibytes both ways. Also meaningful for one transport ({@code A == B}).
 */
public interface InteropClauses extends TckSupport {

    /** Documents written on each side in I1.1. */
    int DOCUMENTS = 1_000;

    /** Size of the byte field of each I1.2 snapshot's document. */
    int SNAPSHOT_BYTES = 10 * 1024 * 1024;

    /** How often the bulk clauses look at the documents (each look reads every one of them). */
    Duration BULK_POLL = Duration.ofMillis(250);

    @Test
    @DisplayName("I1.1 1,000 documents written on each side (half before A dials B, half while connected) converge both ways,"
            + " on the persistent path")
    default void required_I1_1_thousandDocumentsEachWayConverge() throws Exception {
        SyncBackend a = node("a");
        SyncBackend b = node("b");
        int half = DOCUMENTS / 2;
        for (int i = 0; i < half; i++) {
            put(a, DocKey.of("from-a", "d" + i), "n", "a" + i);
            put(b, DocKey.of("from-b", "d" + i), "n", "b" + i);
        }
        connect(a, b);
        for (int i = half; i < DOCUMENTS; i++) {
            put(a, DocKey.of("from-a", "d" + i), "n", "a" + i);
            put(b, DocKey.of("from-b", "d" + i), "n", "b" + i);
        }
        TckWaits.awaitEvery(BULK_POLL, DOCUMENTS + " documents each way",
                () -> countPresent(b, "from-a", DOCUMENTS, "n") == DOCUMENTS && countPresent(a, "from-b", DOCUMENTS, "n") == DOCUMENTS,
                () -> "B holds " + countPresent(b, "from-a", DOCUMENTS, "n") + " of A's, A holds " + countPresent(a, "from-b", DOCUMENTS, "n")
                        + " of B's");
        for (int i = 0; i < DOCUMENTS; i++) {
            assertEquals(Optional.of("a" + i), text(b, DocKey.of("from-a", "d" + i), "n"));
            assertEquals(Optional.of("b" + i), text(a, DocKey.of("from-b", "d" + i), "n"));
        }
        assertTrue(a.hasPersistentSyncChannel(b.peerId()), "A has no persistent channel to B");
        assertTrue(b.hasPersistentSyncChannel(a.peerId()), "B has no persistent channel to A");
        assertEquals(0, a.metrics().fallbackSends() + b.metrics().fallbackSends(), "fallback sends while connected");
        assertEquals(0, a.metrics().protocolErrors() + b.metrics().protocolErrors(), "protocol errors");
    }

    @Test
    @DisplayName("I1.2 A 10 MiB StateSnapshot each way at once arrives byte-exact (SHA-256 of the document's 10 MiB "
            + "byte field), and each document then syncs back to its sender's store")
    default void required_I1_2_tenMebibyteSnapshotEachWay() throws Exception {
        SyncBackend a = node("a");
        SyncBackend b = node("b");
        connect(a, b);
        DocKey fromA = DocKey.of("snapshots", "from-a");
        DocKey fromB = DocKey.of("snapshots", "from-b");
        byte[] blobA = randomBytes(1);
        byte[] blobB = randomBytes(2);
        byte[] snapshotA = snapshotWithBlob(blobA);
        byte[] snapshotB = snapshotWithBlob(blobB);
        assertTrue(snapshotA.length >= SNAPSHOT_BYTES && snapshotB.length >= SNAPSHOT_BYTES,
                "the snapshots are smaller than " + SNAPSHOT_BYTES + " bytes: " + snapshotA.length + ", " + snapshotB.length);

        CompletableFuture<Void> ab = a.send(b.peerId(), Frame.of(fromA.toString(), MessageType.STATE_SNAPSHOT, snapshotA))
                .toCompletableFuture();
        CompletableFuture<Void> ba = b.send(a.peerId(), Frame.of(fromB.toString(), MessageType.STATE_SNAPSHOT, snapshotB))
                .toCompletableFuture();
        get(CompletableFuture.allOf(ab, ba));
        byte[] digestA = sha256(blobA);
        byte[] digestB = sha256(blobB);
        TckWaits.awaitEvery(BULK_POLL, "each snapshot on the other node",
                () -> digestMatches(b, fromA, digestA) && digestMatches(a, fromB, digestB),
                () -> "A's on B: " + digestMatches(b, fromA, digestA) + ", B's on A: " + digestMatches(a, fromB, digestB));
        assertTrue(a.dispatched(MessageType.STATE_SNAPSHOT) >= 1 && b.dispatched(MessageType.STATE_SNAPSHOT) >= 1,
                "a snapshot did not reach the snapshot arm");
        // The receiver now has a document its sender's store lacks: ordinary sync brings it back (10 MiB again, each way).
        TckWaits.awaitEvery(BULK_POLL, "each document synced back to its sender",
                () -> digestMatches(a, fromA, digestA) && digestMatches(b, fromB, digestB),
                () -> "A's on A: " + digestMatches(a, fromA, digestA) + ", B's on B: " + digestMatches(b, fromB, digestB));
        assertEquals(0, a.metrics().protocolErrors() + b.metrics().protocolErrors(), "protocol errors");
        assertTrue(a.hasPersistentSyncChannel(b.peerId()) && b.hasPersistentSyncChannel(a.peerId()), "the persistent channel is gone");
    }

    private static byte[] randomBytes(long seed) {
        byte[] bytes = new byte[SNAPSHOT_BYTES];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] snapshotWithBlob(byte[] blob) {
        Document doc = new Document();
        try (Transaction tx = doc.startTransaction()) {
            tx.set(ObjectId.ROOT, "blob", blob);
            tx.commit();
        }
        try {
            return doc.save();
        } finally {
            doc.free();
        }
    }

    private static boolean digestMatches(SyncBackend node, DocKey key, byte[] expected) {
        try {
            Optional<byte[]> digest = get(node.read(key, d -> d.get(ObjectId.ROOT, "blob")
                    .filter(v -> v instanceof AmValue.Bytes).map(v -> sha256(((AmValue.Bytes) v).getValue())).orElse(null)))
                    .flatMap(Optional::ofNullable);
            if (digest.isEmpty()) {
                return false;
            }
            assertArrayEquals(expected, digest.get(), key + " arrived on " + node.peerId() + " with other bytes");
            return true;
        } catch (AssertionError e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError("reading " + key + " on " + node.peerId() + " failed", e);
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
