package io.peat.sync.internal.automerge;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.Deflater;

/**
 * Seeded mutations of Automerge payloads for {@link NativeFuzzer}: byte-level (bit flips, byte
 * sets, inserts, deletes, block copies, splices, LEB128 rewrites) and structure-aware (rebuild a
 * sync message or chunk list after mutating one field, a Bloom filter header, one column of a
 * change or document chunk, then fix up lengths and chunk checksums so the mutation gets past the
 * checksum and reaches the parsers behind it). Deterministic for a given random source. Not
 * thread-safe.
 */
final class Mutator {
    private static final long[] INTERESTING = {0, 1, 2, 7, 8, 10, 31, 32, 63, 64, 65, 127, 128, 255, 256,
        0x7FFF, 0xFFFF, 0x10000, 0x7FFF_FFFFL, 0xFFFF_FFFFL, 0x1_0000_0000L, Long.MAX_VALUE, -1L, -2L};
    private static final byte[] MAGIC = {(byte) 0x85, 0x6f, 0x4a, (byte) 0x83};

    private final SplittableRandom rnd;

    Mutator(SplittableRandom rnd) {
        this.rnd = rnd;
    }

    // ---------------------------------------------------------------- byte level

    byte[] bytes(byte[] in, List<byte[]> pool) {
        byte[] b = in;
        int rounds = 1 + (rnd.nextInt(4) == 0 ? rnd.nextInt(4) : 0);
        for (int r = 0; r < rounds; r++) {
            b = byteOnce(b, pool);
        }
        return b;
    }

    private byte[] byteOnce(byte[] b, List<byte[]> pool) {
        if (b.length == 0) {
            return new byte[] {(byte) rnd.nextInt(256)};
        }
        switch (rnd.nextInt(9)) {
            case 0 -> {
                byte[] c = b.clone();
                int bits = 1 + rnd.nextInt(3);
                for (int i = 0; i < bits; i++) {
                    int p = rnd.nextInt(c.length);
                    c[p] ^= (byte) (1 << rnd.nextInt(8));
                }
                return c;
            }
            case 1 -> {
                byte[] c = b.clone();
                c[rnd.nextInt(c.length)] = (byte) new int[] {0, 1, 0x7F, 0x80, 0xFF, 0x42, 0x43, 2, 10, 7}[rnd.nextInt(10)];
                return c;
            }
            case 2 -> {
                int p = rnd.nextInt(b.length + 1);
                int n = 1 + rnd.nextInt(rnd.nextBoolean() ? 2 : 16);
                byte[] ins = new byte[n];
                for (int i = 0; i < n; i++) {
                    ins[i] = (byte) rnd.nextInt(256);
                }
                return splice(b, p, p, ins);
            }
            case 3 -> {
                int p = rnd.nextInt(b.length);
                int n = Math.min(b.length - p, 1 + rnd.nextInt(rnd.nextBoolean() ? 2 : 32));
                return splice(b, p, p + n, new byte[0]);
            }
            case 4 -> {
                int from = rnd.nextInt(b.length);
                int n = Math.min(b.length - from, 1 + rnd.nextInt(64));
                int to = rnd.nextInt(b.length + 1);
                return splice(b, to, to, Arrays.copyOfRange(b, from, from + n));
            }
            case 5 -> {
                byte[] other = pool.get(rnd.nextInt(pool.size()));
                if (other.length == 0) {
                    return b;
                }
                int cut = rnd.nextInt(b.length + 1);
                int otherCut = rnd.nextInt(other.length + 1);
                return splice(b, cut, b.length, Arrays.copyOfRange(other, otherCut, other.length));
            }
            case 6, 7 -> {
                int p = rnd.nextInt(b.length);
                int len = lebLength(b, p);
                return splice(b, p, p + len, uleb(interesting()));
            }
            default -> {
                int p = rnd.nextInt(b.length + 1);
                return splice(b, p, rnd.nextBoolean() ? p : Math.min(b.length, p + 1), overlongOrHuge());
            }
        }
    }

    private byte[] overlongOrHuge() {
        return switch (rnd.nextInt(4)) {
            case 0 -> new byte[] {(byte) 0x80, 0x00};
            case 1 -> new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
                (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01};
            case 2 -> new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F};
            default -> new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80};
        };
    }

    long interesting() {
        long v = INTERESTING[rnd.nextInt(INTERESTING.length)];
        return switch (rnd.nextInt(4)) {
            case 0 -> v + 1;
            case 1 -> v - 1;
            default -> v;
        };
    }

    private static int lebLength(byte[] b, int p) {
        int i = p;
        while (i < b.length && (b[i] & 0x80) != 0 && i - p < 10) {
            i++;
        }
        return Math.min(b.length, i + 1) - p;
    }

    static byte[] splice(byte[] b, int from, int to, byte[] ins) {
        byte[] c = new byte[b.length - (to - from) + ins.length];
        System.arraycopy(b, 0, c, 0, from);
        System.arraycopy(ins, 0, c, from, ins.length);
        System.arraycopy(b, to, c, from + ins.length, b.length - to);
        return c;
    }

    // ---------------------------------------------------------------- encoding helpers

    static byte[] uleb(long v) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        writeUleb(o, v);
        return o.toByteArray();
    }

    static void writeUleb(ByteArrayOutputStream o, long v) {
        do {
            int b = (int) (v & 0x7F);
            v >>>= 7;
            o.write(v != 0 ? b | 0x80 : b);
        } while (v != 0);
    }

    static void writeSleb(ByteArrayOutputStream o, long v) {
        while (true) {
            int b = (int) (v & 0x7F);
            v >>= 7;
            if ((v == 0 && (b & 0x40) == 0) || (v == -1 && (b & 0x40) != 0)) {
                o.write(b);
                return;
            }
            o.write(b | 0x80);
        }
    }

    /** A chunk with a correct checksum: magic, checksum over type + length + data, type, uleb length, data. */
    static byte[] chunk(int type, byte[] data) {
        return chunk(type, data, null);
    }

    /** A compressed chunk's form: the checksum is over change type 1 and {@code hashed}, the inflated data. */
    static byte[] chunk(int type, byte[] data, byte[] hashedOrNull) {
        byte[] hashed = hashedOrNull == null ? data : hashedOrNull;
        int hashType = hashedOrNull == null ? type : 1;
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        h.write(hashType);
        writeUleb(h, hashed.length);
        h.writeBytes(hashed);
        byte[] digest = sha256(h.toByteArray());
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(MAGIC);
        o.write(digest, 0, 4);
        o.write(type);
        writeUleb(o, data.length);
        o.writeBytes(data);
        return o.toByteArray();
    }

    static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] deflate(byte[] data) {
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        d.setInput(data);
        d.finish();
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        while (!d.finished()) {
            int n = d.deflate(buf);
            o.write(buf, 0, n);
        }
        d.end();
        return o.toByteArray();
    }

    // ---------------------------------------------------------------- lenient models

    /** A chunk as parsed leniently: type and data (checksums are recomputed on encode). */
    record Chunk(int type, byte[] data) {
    }

    /** Splits {@code b} into chunks; null if it is not a clean chunk sequence. */
    static List<Chunk> chunks(byte[] b) {
        List<Chunk> out = new ArrayList<>();
        Lenient in = new Lenient(b);
        try {
            while (in.pos < b.length) {
                for (byte m : MAGIC) {
                    if (in.u8() != (m & 0xFF)) {
                        return null;
                    }
                }
                in.pos += 4;
                int type = in.u8();
                int len = (int) in.uleb();
                if (len < 0 || in.pos + len > b.length) {
                    return null;
                }
                out.add(new Chunk(type, Arrays.copyOfRange(b, in.pos, in.pos + len)));
                in.pos += len;
            }
        } catch (RuntimeException e) {
            return null;
        }
        return out;
    }

    static byte[] encodeChunks(List<Chunk> chunks) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (Chunk c : chunks) {
            o.writeBytes(chunk(c.type(), c.data()));
        }
        return o.toByteArray();
    }

    /** Sync message fields, leniently parsed. */
    static final class SyncModel {
        int type;
        List<byte[]> heads = new ArrayList<>();
        List<byte[]> need = new ArrayList<>();
        List<byte[][]> haveLastSync = new ArrayList<>();
        List<byte[]> haveBloom = new ArrayList<>();
        List<byte[]> changes = new ArrayList<>();
        byte[] caps;

        static SyncModel parse(byte[] b) {
            try {
                Lenient in = new Lenient(b);
                SyncModel m = new SyncModel();
                m.type = in.u8();
                m.heads = in.hashes();
                m.need = in.hashes();
                int haves = (int) in.uleb();
                if (haves < 0 || haves > b.length) {
                    return null;
                }
                for (int i = 0; i < haves; i++) {
                    m.haveLastSync.add(in.hashes().toArray(new byte[0][]));
                    m.haveBloom.add(in.bytes((int) in.uleb()));
                }
                int changes = (int) in.uleb();
                if (changes < 0 || changes > b.length) {
                    return null;
                }
                for (int i = 0; i < changes; i++) {
                    m.changes.add(in.bytes((int) in.uleb()));
                }
                m.caps = in.pos < b.length ? Arrays.copyOfRange(b, in.pos, b.length) : null;
                return m;
            } catch (RuntimeException e) {
                return null;
            }
        }

        byte[] encode() {
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            o.write(type);
            writeHashes(o, heads);
            writeHashes(o, need);
            writeUleb(o, haveBloom.size());
            for (int i = 0; i < haveBloom.size(); i++) {
                writeHashes(o, Arrays.asList(haveLastSync.get(i)));
                writeUleb(o, haveBloom.get(i).length);
                o.writeBytes(haveBloom.get(i));
            }
            writeUleb(o, changes.size());
            for (byte[] c : changes) {
                writeUleb(o, c.length);
                o.writeBytes(c);
            }
            if (caps != null) {
                o.writeBytes(caps);
            }
            return o.toByteArray();
        }

        private static void writeHashes(ByteArrayOutputStream o, List<byte[]> hs) {
            writeUleb(o, hs.size());
            for (byte[] h : hs) {
                o.writeBytes(h);
            }
        }
    }

    /** A change or document chunk body split into header fields, column metadata, column data, tail. */
    static final class ColumnModel {
        byte[] prefix;
        /** For documents: index where the op columns start in {@link #specs}. */
        int split;
        List<Long> specs = new ArrayList<>();
        List<byte[]> data = new ArrayList<>();
        byte[] tail;
        boolean document;

        /** Parses a change body (document=false) or a document body; null if not parseable. */
        static ColumnModel parse(byte[] body, boolean document) {
            try {
                Lenient in = new Lenient(body);
                ColumnModel m = new ColumnModel();
                m.document = document;
                if (document) {
                    int actors = (int) in.uleb();
                    for (int i = 0; i < actors; i++) {
                        in.bytes((int) in.uleb());
                    }
                    in.hashes();
                } else {
                    in.hashes();
                    in.bytes((int) in.uleb());
                    in.uleb();
                    in.uleb();
                    in.uleb();
                    in.bytes((int) in.uleb());
                    int others = (int) in.uleb();
                    for (int i = 0; i < others; i++) {
                        in.bytes((int) in.uleb());
                    }
                }
                m.prefix = Arrays.copyOfRange(body, 0, in.pos);
                List<Long> lens = new ArrayList<>();
                int groups = document ? 2 : 1;
                for (int g = 0; g < groups; g++) {
                    int n = (int) in.uleb();
                    if (n < 0 || n > body.length) {
                        return null;
                    }
                    if (g == 1) {
                        m.split = m.specs.size();
                    }
                    for (int i = 0; i < n; i++) {
                        m.specs.add(in.uleb());
                        lens.add(in.uleb());
                    }
                }
                if (!document) {
                    m.split = m.specs.size();
                }
                for (long len : lens) {
                    m.data.add(in.bytes((int) len));
                }
                m.tail = Arrays.copyOfRange(body, in.pos, body.length);
                return m;
            } catch (RuntimeException e) {
                return null;
            }
        }

        byte[] encode() {
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            o.writeBytes(prefix);
            if (document) {
                writeUleb(o, split);
                for (int i = 0; i < split; i++) {
                    writeUleb(o, specs.get(i));
                    writeUleb(o, data.get(i).length);
                }
                writeUleb(o, specs.size() - split);
                for (int i = split; i < specs.size(); i++) {
                    writeUleb(o, specs.get(i));
                    writeUleb(o, data.get(i).length);
                }
            } else {
                writeUleb(o, specs.size());
                for (int i = 0; i < specs.size(); i++) {
                    writeUleb(o, specs.get(i));
                    writeUleb(o, data.get(i).length);
                }
            }
            for (byte[] d : data) {
                o.writeBytes(d);
            }
            o.writeBytes(tail);
            return o.toByteArray();
        }
    }

    /** A lenient reader for the models: throws on anything odd, callers fall back to byte mutation. */
    static final class Lenient {
        final byte[] b;
        int pos;

        Lenient(byte[] b) {
            this.b = b;
        }

        int u8() {
            return b[pos++] & 0xFF;
        }

        long uleb() {
            long r = 0;
            int shift = 0;
            while (true) {
                int x = u8();
                r |= ((long) (x & 0x7F)) << shift;
                shift += 7;
                if ((x & 0x80) == 0) {
                    return r;
                }
                if (shift > 63) {
                    throw new IllegalStateException("leb");
                }
            }
        }

        byte[] bytes(int n) {
            if (n < 0 || (long) pos + n > b.length) {
                throw new IllegalStateException("short");
            }
            byte[] r = Arrays.copyOfRange(b, pos, pos + n);
            pos += n;
            return r;
        }

        List<byte[]> hashes() {
            int n = (int) uleb();
            if (n < 0 || n > b.length / 32 + 1) {
                throw new IllegalStateException("count");
            }
            List<byte[]> r = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                r.add(bytes(32));
            }
            return r;
        }
    }

    // ---------------------------------------------------------------- structure aware

    /** Mutates a sync message: structure-aware most of the time, byte-level otherwise. */
    byte[] syncMessage(byte[] seed, List<byte[]> pool) {
        SyncModel m = SyncModel.parse(seed);
        if (m == null || rnd.nextInt(5) == 0) {
            return bytes(seed, pool);
        }
        switch (rnd.nextInt(8)) {
            case 0 -> m.type = rnd.nextBoolean() ? (m.type == 0x42 ? 0x43 : 0x42) : rnd.nextInt(256);
            case 1 -> mutateHashes(m.heads, m);
            case 2 -> mutateHashes(m.need, m);
            case 3 -> mutateHave(m);
            case 4, 5, 6 -> {
                if (m.changes.isEmpty()) {
                    mutateHave(m);
                } else {
                    int i = rnd.nextInt(m.changes.size());
                    byte[] entry = rnd.nextInt(4) == 0 ? m.changes.get(rnd.nextInt(m.changes.size())) : m.changes.get(i);
                    m.changes.set(i, chunkList(entry, pool));
                    if (rnd.nextInt(8) == 0) {
                        m.changes.add(m.changes.get(i));
                    }
                }
            }
            default -> m.caps = switch (rnd.nextInt(4)) {
                case 0 -> null;
                case 1 -> new byte[] {2, 1, 2};
                case 2 -> new byte[] {1, (byte) rnd.nextInt(256)};
                default -> uleb(interesting());
            };
        }
        byte[] out = m.encode();
        return rnd.nextInt(6) == 0 ? bytes(out, pool) : out;
    }

    private void mutateHashes(List<byte[]> hs, SyncModel m) {
        switch (rnd.nextInt(4)) {
            case 0 -> hs.clear();
            case 1 -> {
                byte[] h = new byte[32];
                rnd.nextBytes(h);
                hs.add(h);
            }
            case 2 -> {
                List<byte[]> from = new ArrayList<>(m.heads);
                from.addAll(m.need);
                for (byte[][] l : m.haveLastSync) {
                    from.addAll(Arrays.asList(l));
                }
                if (!from.isEmpty()) {
                    hs.add(from.get(rnd.nextInt(from.size())));
                }
            }
            default -> {
                if (!hs.isEmpty()) {
                    byte[] h = hs.get(rnd.nextInt(hs.size())).clone();
                    h[rnd.nextInt(32)] ^= (byte) (1 << rnd.nextInt(8));
                    hs.set(0, h);
                }
            }
        }
    }

    private void mutateHave(SyncModel m) {
        if (m.haveBloom.isEmpty() || rnd.nextInt(4) == 0) {
            m.haveLastSync.add(new byte[0][]);
            m.haveBloom.add(new byte[0]);
        }
        int i = rnd.nextInt(m.haveBloom.size());
        switch (rnd.nextInt(4)) {
            case 0 -> {
                List<byte[]> ls = new ArrayList<>(Arrays.asList(m.haveLastSync.get(i)));
                mutateHashes(ls, m);
                m.haveLastSync.set(i, ls.toArray(new byte[0][]));
            }
            case 1 -> m.haveBloom.set(i, bytes(m.haveBloom.get(i), List.of(m.haveBloom.get(i))));
            default -> {
                long entries = rnd.nextBoolean() ? rnd.nextInt(20) : interesting();
                long bpe = rnd.nextBoolean() ? rnd.nextInt(12) : interesting();
                long probes = rnd.nextBoolean() ? rnd.nextInt(10) : interesting();
                ByteArrayOutputStream o = new ByteArrayOutputStream();
                writeUleb(o, entries);
                writeUleb(o, bpe);
                writeUleb(o, probes);
                long need = ((entries & 0xFFFF_FFFFL) * (bpe & 0xFFFF_FFFFL) + 7) / 8;
                long want = rnd.nextBoolean() ? need : rnd.nextInt(40);
                // need can overflow to a negative long; never make more than 4 KiB of bits.
                byte[] bits = new byte[want < 0 || want > 4096 ? 4096 : (int) want];
                rnd.nextBytes(bits);
                o.writeBytes(bits);
                m.haveBloom.set(i, o.toByteArray());
            }
        }
    }

    /** Mutates a chunk list (a saved document or one change entry), fixing checksums most of the time. */
    byte[] chunkList(byte[] seed, List<byte[]> pool) {
        List<Chunk> cs = chunks(seed);
        if (cs == null || cs.isEmpty() || rnd.nextInt(8) == 0) {
            return bytes(seed, pool);
        }
        int i = rnd.nextInt(cs.size());
        Chunk c = cs.get(i);
        byte[] data = c.type() == 2 ? inflateLenient(c.data()) : c.data();
        int type = c.type() == 2 ? 1 : c.type();
        if (data == null) {
            return bytes(seed, pool);
        }
        switch (rnd.nextInt(10)) {
            case 0 -> cs.add(rnd.nextInt(cs.size() + 1), c);
            case 1 -> {
                if (cs.size() > 1) {
                    cs.remove(i);
                }
            }
            case 2 -> {
                // Recompress (or decompress) a change.
                if (type == 1) {
                    byte[] z = deflate(data);
                    byte[] out = encodeChunks(cs.subList(0, i));
                    byte[] comp = chunk(2, z, data);
                    byte[] rest = encodeChunks(cs.subList(i + 1, cs.size()));
                    return concat(out, comp, rest);
                }
                cs.set(i, new Chunk(type, bytes(data, pool)));
            }
            case 3 -> cs.set(i, new Chunk(rnd.nextInt(4), data));
            case 4, 5 -> cs.set(i, new Chunk(type, bytes(data, pool)));
            default -> cs.set(i, new Chunk(type, columns(data, type == 0, pool)));
        }
        byte[] out = encodeChunks(cs);
        return rnd.nextInt(10) == 0 ? bytes(out, pool) : out;
    }

    /** Column-aware mutation of a change (document=false) or document chunk body. */
    byte[] columns(byte[] body, boolean document, List<byte[]> pool) {
        ColumnModel m = ColumnModel.parse(body, document);
        if (m == null || m.specs.isEmpty()) {
            return bytes(body, pool);
        }
        // Work on uncompressed columns so mutations reach the decoders.
        for (int i = 0; i < m.specs.size(); i++) {
            if ((m.specs.get(i) & 8) != 0) {
                byte[] inflated = inflateLenient(m.data.get(i));
                if (inflated != null) {
                    m.data.set(i, inflated);
                    m.specs.set(i, m.specs.get(i) & ~8L);
                }
            }
        }
        int i = rnd.nextInt(m.specs.size());
        switch (rnd.nextInt(9)) {
            case 0 -> m.specs.set(i, rnd.nextBoolean() ? m.specs.get(i) ^ (1L << rnd.nextInt(8)) : interesting() & 0xFFFF_FFFFL);
            case 1 -> {
                m.specs.remove(i);
                m.data.remove(i);
                if (i < m.split) {
                    m.split--;
                }
            }
            case 2 -> {
                int j = rnd.nextInt(m.specs.size());
                byte[] t = m.data.get(i);
                m.data.set(i, m.data.get(j));
                m.data.set(j, t);
            }
            case 3 -> m.data.set(i, new byte[0]);
            case 4 -> {
                ByteArrayOutputStream o = new ByteArrayOutputStream();
                int n = 1 + rnd.nextInt(6);
                for (int k = 0; k < n; k++) {
                    if (rnd.nextBoolean()) {
                        writeUleb(o, interesting());
                    } else {
                        writeSleb(o, rnd.nextBoolean() ? interesting() : rnd.nextInt(-5, 6));
                    }
                }
                byte[] d = m.data.get(i);
                int p = rnd.nextInt(d.length + 1);
                m.data.set(i, splice(d, p, rnd.nextBoolean() ? p : Math.min(d.length, p + 1 + rnd.nextInt(3)), o.toByteArray()));
            }
            case 5 -> m.prefix = bytes(m.prefix, List.of(m.prefix));
            case 6 -> m.tail = bytes(m.tail, List.of(body));
            default -> m.data.set(i, bytes(m.data.get(i), m.data));
        }
        // Sometimes compress document columns again.
        if (document && rnd.nextInt(4) == 0) {
            for (int k = 0; k < m.specs.size(); k++) {
                if (m.data.get(k).length > 16 && rnd.nextBoolean()) {
                    m.data.set(k, deflate(m.data.get(k)));
                    m.specs.set(k, m.specs.get(k) | 8L);
                }
            }
        }
        return m.encode();
    }

    static byte[] inflateLenient(byte[] z) {
        java.util.zip.Inflater inf = new java.util.zip.Inflater(true);
        try {
            inf.setInput(z);
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            while (!inf.finished()) {
                int n = inf.inflate(buf);
                if (n == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    return null;
                }
                o.write(buf, 0, n);
                if (o.size() > (1 << 22)) {
                    return null;
                }
            }
            return o.toByteArray();
        } catch (java.util.zip.DataFormatException e) {
            return null;
        } finally {
            inf.end();
        }
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }
}
