package io.peat.sync.internal.automerge;

/**
 * Decoders for Automerge's column encodings ({@code columnar/encoding} in automerge 0.5.7), used to
 * walk a chunk's op columns value by value: run-length ({@link Rle}), delta ({@link Delta}), boolean
 * ({@link Bool}) and value ({@link Values}). A missing column reads as all nulls. Each decoder
 * reads runs in O(1) and yields one value per call; the caller bounds the number of calls. Not
 * thread-safe.
 */
final class ColumnReaders {
    private ColumnReaders() {
    }

    /** What an {@link Rle} holds: unsigned LEB128, signed LEB128 or length-prefixed UTF-8. */
    enum Kind { ULEB, SLEB, STRING }

    /** A run-length encoded column; {@link #next()} returns whether the value is non-null. */
    static final class Rle {
        private final ByteCursor in;
        private final Kind kind;
        private final String name;
        private long count;
        private boolean literal;
        private boolean lastNull = true;
        private long last;
        /** The value of the last non-null {@link #next()}. For strings, 0. */
        long value;

        Rle(ByteCursor in, Kind kind, String name) {
            this.in = in;
            this.kind = kind;
            this.name = name;
        }

        /** True if the column has no more values. */
        boolean done() {
            return count == 0 && (in == null || in.atEnd());
        }

        /** Next value: true if non-null (in {@link #value}), false if null or past the end. */
        boolean next() {
            if (in == null) {
                return false;
            }
            while (count == 0) {
                if (in.atEnd()) {
                    return false;
                }
                long run = in.sleb(name + " run length");
                if (run > 0) {
                    count = run;
                    last = read();
                    lastNull = false;
                    literal = false;
                } else if (run < 0) {
                    if (run == Long.MIN_VALUE) {
                        throw in.fail(name + ": literal run length out of range");
                    }
                    count = -run;
                    literal = true;
                    lastNull = false;
                } else {
                    long nulls = in.uleb(name + " null run length");
                    if (nulls <= 0) {
                        // 0 would make an empty run; negative as isize in Rust: an endless run.
                        throw in.fail(name + ": null run length " + Long.toUnsignedString(nulls) + " out of range");
                    }
                    count = nulls;
                    literal = false;
                    lastNull = true;
                }
            }
            count--;
            if (literal) {
                value = read();
                return true;
            }
            value = last;
            return !lastNull;
        }

        private long read() {
            return switch (kind) {
                case ULEB -> in.uleb(name);
                case SLEB -> in.sleb(name);
                case STRING -> {
                    int start = in.lengthPrefixed(name + " string");
                    ChangeChunkCheck.checkUtf8(in, start, in.pos(), name + " string");
                    yield 0;
                }
            };
        }
    }

    /** A delta-encoded column: run-length encoded signed deltas, accumulated. */
    static final class Delta {
        private final Rle deltas;
        private long abs;
        long value;

        Delta(ByteCursor in, String name) {
            this.deltas = new Rle(in, Kind.SLEB, name);
        }

        boolean done() {
            return deltas.done();
        }

        boolean next() {
            if (!deltas.next()) {
                return false;
            }
            abs += deltas.value;
            value = abs;
            return true;
        }
    }

    /** A boolean column: alternating run lengths, starting with false. */
    static final class Bool {
        private final ByteCursor in;
        private final String name;
        private long count;
        private boolean last = true;

        Bool(ByteCursor in, String name) {
            this.in = in;
            this.name = name;
        }

        /** Next value; false past the end. */
        boolean next() {
            if (in == null) {
                return false;
            }
            while (count == 0) {
                if (in.atEnd()) {
                    return false;
                }
                count = in.uleb(name + " run length");
                if (count < 0) {
                    throw in.fail(name + ": run length out of range");
                }
                last = !last;
            }
            count--;
            return last;
        }
    }

    /**
     * A value column: run-length encoded metadata ({@code length << 4 | type}) and the raw bytes it
     * describes. Type codes 0 null, 1 false, 2 true, 3 uint, 4 int, 5 f64, 6 string, 7 bytes,
     * 8 counter, 9 timestamp, 10..15 unknown.
     */
    static final class Values {
        private final Rle meta;
        private final ByteCursor raw;
        private final String name;
        /** Type code of the last value read, -1 for a null metadata entry. */
        int type;
        long number;

        Values(ByteCursor meta, ByteCursor raw, String name) {
            this.meta = new Rle(meta, Kind.ULEB, name + " metadata");
            this.raw = raw;
            this.name = name;
        }

        /** Reads the next value; false past the end of the metadata. */
        boolean next() {
            if (!meta.next()) {
                type = -1;
                return false;
            }
            long m = meta.value;
            type = (int) (m & 0x0F);
            long len = m >>> 4;
            if (len > (raw == null ? 0 : raw.remaining())) {
                ByteCursor at = raw == null ? null : raw;
                String problem = name + ": value of " + Long.toUnsignedString(len) + " bytes runs past the value column";
                throw at == null ? new MalformedPayloadException(problem, 0) : at.fail(problem);
            }
            if (len == 0) {
                return true;
            }
            int start = raw.pos();
            ByteCursor v = raw.window(start, start + (int) len);
            raw.take(len, name);
            switch (type) {
                case 3 -> {
                    number = v.uleb(name + " uint");
                    v.expectEnd(name + " uint");
                }
                case 4, 8, 9 -> {
                    number = v.sleb(name + " int");
                    v.expectEnd(name + " int");
                }
                case 6 -> ChangeChunkCheck.checkUtf8(v, start, start + (int) len, name + " string");
                default -> {
                    // f64, bytes and unknown types: any bytes; Rust checks f64 length itself.
                }
            }
            return true;
        }
    }
}
