package io.peat.sync.wire;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * One tombstone: the record that a document was deleted (SPEC section 2). Immutable.
 *
 * <pre>coll_len:u16 collection id_len:u16 doc_id deleted_at_ms:u64 lamport:u64
 * by_len:u16 deleted_by reason_len:u16 reason (0 = none) direction:u8</pre>
 *
 * @param collection the document's collection
 * @param docId the document's id
 * @param deletedAtMs wall-clock deletion time, milliseconds since the epoch
 * @param lamport Lamport clock of the deletion
 * @param deletedBy who deleted it (a peer id)
 * @param reason why, or empty
 * @param direction how far the tombstone propagates
 */
public record TombstoneRecord(String collection, String docId, long deletedAtMs, long lamport, String deletedBy,
        Optional<String> reason, Direction direction) {

    /** Propagation direction of a tombstone. */
    public enum Direction {
        /** 0: both ways. */
        BIDIRECTIONAL,
        /** 1: up the hierarchy only. */
        UP_ONLY,
        /** 2: down only. */
        DOWN_ONLY,
        /** 3: everywhere. */
        SYSTEM_WIDE
    }

    /** Checks for nulls. */
    public TombstoneRecord {
        Objects.requireNonNull(collection, "collection");
        Objects.requireNonNull(docId, "docId");
        Objects.requireNonNull(deletedBy, "deletedBy");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(direction, "direction");
    }

    /** @return the key a Tombstone frame for this record carries: {@code tombstones:{collection}:{doc_id}} */
    public String frameKey() {
        return "tombstones:" + collection + ":" + docId;
    }

    /** @return the document key this tombstone deletes: {@code {collection}:{doc_id}} */
    public String docKey() {
        return collection + ":" + docId;
    }

    /** @return the record's wire bytes */
    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            str16(out, collection);
            str16(out, docId);
            out.writeLong(deletedAtMs);
            out.writeLong(lamport);
            str16(out, deletedBy);
            str16(out, reason.orElse(""));
            out.writeByte(direction.ordinal());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * @param bytes a record's wire bytes
     * @return the record
     * @throws io.peat.spi.ProtocolViolationException when truncated, trailing or the direction is unknown
     */
    public static TombstoneRecord decode(byte[] bytes) {
        WireReader r = new WireReader(bytes, "tombstone record");
        String coll = r.utf8(r.u16("coll_len"), "collection");
        String id = r.utf8(r.u16("id_len"), "doc_id");
        long at = r.u64("deleted_at_ms");
        long lamport = r.u64("lamport");
        String by = r.utf8(r.u16("by_len"), "deleted_by");
        String reason = r.utf8(r.u16("reason_len"), "reason");
        int dir = r.u8("direction");
        if (dir >= Direction.values().length) {
            throw new io.peat.spi.ProtocolViolationException("tombstone record for " + coll + ":" + id + ": unknown direction " + dir
                    + " (expected 0..3)");
        }
        r.expectEnd();
        return new TombstoneRecord(coll, id, at, lamport, by, reason.isEmpty() ? Optional.empty() : Optional.of(reason),
                Direction.values()[dir]);
    }

    static void str16(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > 0xFFFF) {
            throw new IllegalArgumentException("string field longer than 65535 UTF-8 bytes: " + b.length);
        }
        out.writeShort(b.length);
        out.write(b);
    }
}
