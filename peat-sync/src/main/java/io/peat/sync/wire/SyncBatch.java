package io.peat.sync.wire;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Payload of a SyncBatch frame (key {@code batch}), SPEC section 2:
 * {@code batch_id:u64 created_at_ms:u64 ttl:u8 entry_count:u32} then entries of frame shape
 * {@code key_len:u16 key type:u8 len:u32 payload}. Immutable.
 *
 * @param batchId the batch's id
 * @param createdAtMs creation time, milliseconds since the epoch
 * @param ttl remaining hop count (default {@value #DEFAULT_TTL})
 * @param entries the entries, in order
 */
public record SyncBatch(long batchId, long createdAtMs, int ttl, List<Frame> entries) {

    /** The frame key a SyncBatch carries. */
    public static final String KEY = "batch";
    /** Default hop count. */
    public static final int DEFAULT_TTL = 5;

    /** Copies the entry list and checks the ttl. */
    public SyncBatch {
        entries = List.copyOf(Objects.requireNonNull(entries, "entries"));
        if (ttl < 0 || ttl > 255) {
            throw new IllegalArgumentException("ttl must be 0..255, got " + ttl);
        }
    }

    /** @return the payload bytes */
    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(batchId);
            out.writeLong(createdAtMs);
            out.writeByte(ttl);
            out.writeInt(entries.size());
            for (Frame e : entries) {
                out.write(FrameCodec.encodeToArray(e));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** @return this batch as a frame with key {@value #KEY} */
    public Frame toFrame() {
        return Frame.of(KEY, MessageType.SYNC_BATCH, encode());
    }

    /**
     * Decodes the header and splits the entries. An entry whose own payload later fails to apply is
     * the caller's concern; this only checks the framing.
     *
     * @param payload the payload bytes
     * @return the batch
     * @throws io.peat.spi.ProtocolViolationException when the framing is malformed
     */
    public static SyncBatch decode(byte[] payload) {
        WireReader r = new WireReader(payload, "sync batch");
        long id = r.u64("batch_id");
        long created = r.u64("created_at_ms");
        int ttl = r.u8("ttl");
        long count = r.u32("entry_count");
        List<Frame> entries = new ArrayList<>((int) Math.min(count, 1024));
        for (long i = 0; i < count; i++) {
            int keyLen = r.u16("entry[" + i + "].key_len");
            if (keyLen == 0) {
                throw new io.peat.spi.ProtocolViolationException("sync batch: entry " + i + " has key_len 0");
            }
            String key = r.strictUtf8(keyLen, "entry[" + i + "].key");
            int type = r.u8("entry[" + i + "].type");
            byte[] body = r.bytes(r.u32("entry[" + i + "].len"), "entry[" + i + "].payload");
            entries.add(new Frame(key, type, body));
        }
        r.expectEnd();
        return new SyncBatch(id, created, ttl, entries);
    }
}
