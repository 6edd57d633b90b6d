package io.peat.sync.internal.automerge;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.automerge.Document;
import org.automerge.ExpandMark;
import org.automerge.NewValue;
import org.automerge.ObjectId;
import org.automerge.ObjectType;
import org.automerge.SyncState;
import org.automerge.Transaction;

/**
 * Real Automerge payloads made with automerge-java, the fuzzer's seeds: sync messages from several
 * rounds of sync between documents with maps, lists, text, counters and several actors (so have,
 * need and Bloom filter sections are non-empty), the saved documents, and the documents that
 * received each message (so a mutated message can be replayed against the state it was meant for).
 * Built on the calling thread; deterministic in content, not in actor ids.
 */
final class FuzzSeeds {
    /** The issue 10 crash frame, verbatim (key {@code x:crash}, type 0x00, 124-byte payload). */
    static final String CRASH_FRAME_HEX =
            "0007783a6372617368000000007c430102e18000a7b9495f6d6e1007a812dddb490e72fdf4eb0d183a286a6eb872bd7c"
            + "000100050100000000014f856f4a8302e1c17a0145001004328fdcb4344634800e010e68139f050101000000061507"
            + "340142025605571070027e026630026e300202017e8601850176616c75652d302d00000000000000000200";

    /** A sync message and the index of the receiver document it was generated for (-1: an empty doc). */
    record SyncSeed(byte[] message, int receiver) {
    }

    final List<SyncSeed> syncMessages = new ArrayList<>();
    final List<byte[]> documents = new ArrayList<>();
    /** Saved states of documents that received messages; index 0 is always the empty document. */
    final List<byte[]> receivers = new ArrayList<>();

    /** The payload of {@link #CRASH_FRAME_HEX}: frame = key_len:u16 key type:u8 len:u32 payload. */
    static byte[] crashPayload() {
        byte[] frame = HexFormat.of().parseHex(CRASH_FRAME_HEX);
        int keyLen = ((frame[0] & 0xFF) << 8) | (frame[1] & 0xFF);
        int at = 2 + keyLen + 1;
        int len = ((frame[at] & 0xFF) << 24) | ((frame[at + 1] & 0xFF) << 16) | ((frame[at + 2] & 0xFF) << 8)
                | (frame[at + 3] & 0xFF);
        byte[] payload = new byte[len];
        System.arraycopy(frame, at + 4, payload, 0, len);
        if (at + 4 + len != frame.length) {
            throw new IllegalStateException("crash frame has trailing bytes");
        }
        return payload;
    }

    static FuzzSeeds build() {
        FuzzSeeds s = new FuzzSeeds();
        s.receivers.add(new byte[0]);
        for (int variant = 0; variant < 4; variant++) {
            s.syncSession(variant);
        }
        s.syncMessages.add(new SyncSeed(crashPayload(), 0));
        return s;
    }

    private static byte[] actor(int n) {
        byte[] a = new byte[16];
        a[0] = (byte) n;
        a[15] = (byte) (n * 31 + 7);
        return a;
    }

    private static void edit(Document doc, int round, int who) {
        try (Transaction tx = doc.startTransaction()) {
            tx.set(ObjectId.ROOT, "k" + who, "value-" + round + "-" + who);
            tx.set(ObjectId.ROOT, "n" + round, round * 1000L + who);
            if (round == 0) {
                ObjectId list = tx.set(ObjectId.ROOT, "list" + who, ObjectType.LIST);
                tx.insert(list, 0, "a");
                tx.insert(list, 1, 2.5);
                tx.insert(list, 2, true);
                tx.insertNull(list, 3);
                tx.insert(list, 4, new byte[] {1, 2, 3});
                tx.insert(list, 5, new Date(1_700_000_000_000L));
                ObjectId text = tx.set(ObjectId.ROOT, "text" + who, ObjectType.TEXT);
                tx.spliceText(text, 0, 0, "hello world from " + who + " ".repeat(who * 40) + "é✓");
                tx.set(ObjectId.ROOT, "counter" + who, NewValue.counter(5));
                ObjectId map = tx.set(ObjectId.ROOT, "map" + who, ObjectType.MAP);
                tx.set(map, "inner", NewValue.uint(42));
                tx.set(map, "neg", NewValue.integer(-7));
            } else {
                if (tx.get(ObjectId.ROOT, "counter" + who).orElse(null) instanceof org.automerge.AmValue.Counter) {
                    tx.increment(ObjectId.ROOT, "counter" + who, round);
                }
                Optional<org.automerge.AmValue> t = tx.get(ObjectId.ROOT, "text" + who);
                if (t.isPresent() && t.get() instanceof org.automerge.AmValue.Text text) {
                    tx.spliceText(text.getId(), round, 1, "r" + round);
                    tx.mark(text.getId(), 0, 3, "bold", true, ExpandMark.AFTER);
                }
                Optional<org.automerge.AmValue> l = tx.get(ObjectId.ROOT, "list" + who);
                if (l.isPresent() && l.get() instanceof org.automerge.AmValue.List list) {
                    tx.delete(list.getId(), 0);
                    tx.insert(list.getId(), 0, "x" + round);
                }
                tx.delete(ObjectId.ROOT, "n" + (round - 1));
            }
            tx.commit();
        }
    }

    /**
     * Two or three peers edit concurrently, then sync pairwise in several rounds; every message and
     * the receiver's state before it is recorded.
     */
    private void syncSession(int variant) {
        Document a = new Document(actor(1 + variant * 3));
        Document b = new Document(actor(2 + variant * 3));
        SyncState ab = new SyncState();
        SyncState ba = new SyncState();
        try {
            if (variant == 3) {
                // Large text so save() deflates columns.
                try (Transaction tx = a.startTransaction()) {
                    ObjectId text = tx.set(ObjectId.ROOT, "big", ObjectType.TEXT);
                    StringBuilder big = new StringBuilder();
                    for (int i = 0; i < 400; i++) {
                        big.append("line ").append(i).append(i % 7 == 0 ? "\n" : " ");
                    }
                    tx.spliceText(text, 0, 0, big.toString());
                    tx.commit();
                }
            }
            for (int round = 0; round < 3 + variant; round++) {
                edit(a, round, 1);
                if (variant != 1 || round > 0) {
                    edit(b, round, 2);
                }
                exchange(a, ab, b, ba);
                if (variant == 2 && round == 1) {
                    Document c = b.fork(actor(99));
                    edit(c, round, 3);
                    b.merge(c);
                    c.free();
                }
            }
            documents.add(a.save());
            documents.add(b.save());
            byte[] incremental = b.encodeChangesSince(new org.automerge.ChangeHash[0]);
            documents.add(incremental);
        } finally {
            ab.free();
            ba.free();
            a.free();
            b.free();
        }
    }

    /** Runs sync between a and b until quiet, recording messages and the receiver's prior state. */
    private void exchange(Document a, SyncState ab, Document b, SyncState ba) {
        for (int i = 0; i < 10; i++) {
            boolean any = false;
            Optional<byte[]> m = a.generateSyncMessage(ab);
            if (m.isPresent()) {
                record(m.get(), b);
                b.receiveSyncMessage(ba, m.get());
                any = true;
            }
            Optional<byte[]> n = b.generateSyncMessage(ba);
            if (n.isPresent()) {
                record(n.get(), a);
                a.receiveSyncMessage(ab, n.get());
                any = true;
            }
            if (!any) {
                return;
            }
        }
    }

    private void record(byte[] message, Document receiver) {
        byte[] saved = receiver.save();
        int index = receivers.size();
        receivers.add(saved);
        syncMessages.add(new SyncSeed(message, index));
    }

    static String describe(FuzzSeeds s) {
        return s.syncMessages.size() + " sync messages, " + s.documents.size() + " documents, "
                + s.receivers.size() + " receivers";
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
