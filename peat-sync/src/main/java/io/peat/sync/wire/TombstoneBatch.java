package io.peat.sync.wire;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Payload of a TombstoneBatch frame (key {@code tombstones:batch}):
 * {@code count:u32} then per item {@code len:u32 record[len]}. Stateless.
 */
public final class TombstoneBatch {
    /** The frame key a TombstoneBatch carries. */
    public static final String KEY = "tombstones:batch";

    private TombstoneBatch() {
    }

    /**
     * @param records the tombstones
     * @return the payload bytes
     */
    public static byte[] encode(List<TombstoneRecord> records) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(records.size());
            for (TombstoneRecord rec : records) {
                byte[] b = rec.encode();
                out.writeInt(b.length);
                out.write(b);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * @param payload the payload bytes
     * @return the records, in order
     * @throws io.peat.spi.ProtocolViolationException when malformed
     */
    public static List<TombstoneRecord> decode(byte[] payload) {
        WireReader r = new WireReader(payload, "tombstone batch");
        long count = r.u32("count");
        List<TombstoneRecord> out = new ArrayList<>((int) Math.min(count, 1024));
        for (long i = 0; i < count; i++) {
            out.add(TombstoneRecord.decode(r.bytes(r.u32("len[" + i + "]"), "record[" + i + "]")));
        }
        r.expectEnd();
        return out;
    }
}
