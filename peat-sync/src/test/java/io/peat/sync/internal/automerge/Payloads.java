package io.peat.sync.internal.automerge;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Hand-made Automerge payloads for the checker tests: sync messages, change chunks, op columns. */
final class Payloads {
    private Payloads() {
    }

    static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }

    static byte[] cat(byte[]... parts) {
        return Mutator.concat(parts);
    }

    static byte[] uleb(long v) {
        return Mutator.uleb(v);
    }

    static byte[] sleb(long v) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        Mutator.writeSleb(o, v);
        return o.toByteArray();
    }

    /** A run of {@code n} copies of one already encoded value. */
    static byte[] run(long n, byte[] value) {
        return cat(sleb(n), value);
    }

    /** A run of {@code n} nulls. */
    static byte[] nulls(long n) {
        return cat(bytes(0), uleb(n));
    }

    static byte[] str(String s) {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return cat(uleb(b.length), b);
    }

    /** Builder of a change chunk. */
    static final class Change {
        byte[] actor = bytes(0xaa, 0xbb);
        long seq = 1;
        long startOp = 1;
        byte[] message = new byte[0];
        List<byte[]> others = new ArrayList<>();
        final Map<Integer, byte[]> columns = new TreeMap<>();

        Change col(int spec, byte[] data) {
            columns.put(spec, data);
            return this;
        }

        /** One op: put "k" = null in the root map. */
        static Change putInRoot() {
            return new Change()
                    .col(0x15, run(1, str("k")))
                    .col(0x42, run(1, uleb(1)))
                    .col(0x56, run(1, uleb(0)));
        }

        byte[] body() {
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            o.writeBytes(uleb(0));
            o.writeBytes(uleb(actor.length));
            o.writeBytes(actor);
            o.writeBytes(uleb(seq));
            o.writeBytes(uleb(startOp));
            o.writeBytes(sleb(0));
            o.writeBytes(uleb(message.length));
            o.writeBytes(message);
            o.writeBytes(uleb(others.size()));
            for (byte[] a : others) {
                o.writeBytes(uleb(a.length));
                o.writeBytes(a);
            }
            o.writeBytes(uleb(columns.size()));
            for (Map.Entry<Integer, byte[]> c : columns.entrySet()) {
                o.writeBytes(uleb(c.getKey()));
                o.writeBytes(uleb(c.getValue().length));
            }
            for (byte[] d : columns.values()) {
                o.writeBytes(d);
            }
            return o.toByteArray();
        }

        byte[] chunk() {
            return Mutator.chunk(1, body());
        }
    }

    /** A v1 sync message with no heads, need or have, carrying {@code changes}. */
    static byte[] syncWith(byte[]... changes) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write(0x42);
        o.writeBytes(uleb(0));
        o.writeBytes(uleb(0));
        o.writeBytes(uleb(0));
        o.writeBytes(uleb(changes.length));
        for (byte[] c : changes) {
            o.writeBytes(uleb(c.length));
            o.writeBytes(c);
        }
        return o.toByteArray();
    }

    /** A v1 sync message with one have entry holding {@code bloom}. */
    static byte[] syncWithBloom(byte[] bloom) {
        return cat(bytes(0x42, 0, 0, 1, 0), uleb(bloom.length), bloom, bytes(0));
    }
}
