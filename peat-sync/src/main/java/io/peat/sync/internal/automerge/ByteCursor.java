package io.peat.sync.internal.automerge;

/**
 * Reads the primitive encodings of Automerge's binary formats (bytes, LEB128 as the Rust core
 * decodes it) from a window of a byte array, refusing anything the Rust parser would refuse or
 * could not survive. Never allocates for a length or count it reads; every read is bounds-checked
 * against the bytes actually present. Not thread-safe: one cursor per check.
 */
final class ByteCursor {
    private final byte[] buf;
    private final int end;
    private final int base;
    private int pos;

    /**
     * @param buf the bytes
     * @param start first byte of the window
     * @param end one past the last byte of the window
     * @param base what to add to positions in {@code buf} to report offsets in the checked payload
     */
    ByteCursor(byte[] buf, int start, int end, int base) {
        if (start < 0 || end < start || end > buf.length) {
            throw new IllegalArgumentException("window " + start + ".." + end + " outside " + buf.length);
        }
        this.buf = buf;
        this.pos = start;
        this.end = end;
        this.base = base;
    }

    ByteCursor(byte[] buf) {
        this(buf, 0, buf.length, 0);
    }

    /** A cursor over {@code [start, end)} of the same array, reporting offsets like this one. */
    ByteCursor window(int start, int windowEnd) {
        return new ByteCursor(buf, start, windowEnd, base);
    }

    byte[] array() {
        return buf;
    }

    int pos() {
        return pos;
    }

    int end() {
        return end;
    }

    int remaining() {
        return end - pos;
    }

    boolean atEnd() {
        return pos == end;
    }

    /** Offset of the current position in the checked payload. */
    int offset() {
        return base + pos;
    }

    MalformedPayloadException fail(String problem) {
        return new MalformedPayloadException(problem, base + pos);
    }

    MalformedPayloadException failAt(int at, String problem) {
        return new MalformedPayloadException(problem, base + at);
    }

    int u8(String field) {
        if (pos >= end) {
            throw fail(field + ": truncated, need 1 byte, have 0");
        }
        return buf[pos++] & 0xFF;
    }

    /** Skips {@code n} bytes that must be present; returns where they start. */
    int take(long n, String field) {
        if (n < 0 || n > remaining()) {
            throw fail(field + ": needs " + Long.toUnsignedString(n) + " bytes, only " + remaining() + " remain");
        }
        int start = pos;
        pos += (int) n;
        return start;
    }

    /**
     * Unsigned LEB128 as {@code leb128_u64} in automerge 0.5.7 reads it: at most 10 bytes, the 10th
     * at most 1, no overlong (zero final byte after the first). The result is an unsigned 64-bit value.
     */
    long uleb(String field) {
        int start = pos;
        long result = 0;
        int shift = 0;
        while (true) {
            if (pos >= end) {
                throw failAt(start, field + ": truncated LEB128");
            }
            int b = buf[pos++] & 0xFF;
            result |= ((long) (b & 0x7F)) << shift;
            shift += 7;
            if ((b & 0x80) == 0) {
                if (shift > 64 && b > 1) {
                    throw failAt(start, field + ": LEB128 too large for 64 bits");
                }
                if (shift > 7 && b == 0) {
                    throw failAt(start, field + ": overlong LEB128");
                }
                return result;
            }
            if (shift > 64) {
                throw failAt(start, field + ": LEB128 too large for 64 bits");
            }
        }
    }

    /** Signed LEB128 as {@code leb128_i64} in automerge 0.5.7 reads it. */
    long sleb(String field) {
        int start = pos;
        long result = 0;
        int shift = 0;
        int prev = 0;
        while (true) {
            if (pos >= end) {
                throw failAt(start, field + ": truncated signed LEB128");
            }
            int b = buf[pos++] & 0xFF;
            result |= ((long) (b & 0x7F)) << shift;
            shift += 7;
            if ((b & 0x80) == 0) {
                if (shift > 64 && b != 0 && b != 0x7F) {
                    throw failAt(start, field + ": signed LEB128 too large for 64 bits");
                }
                if (shift > 7 && ((b == 0 && (prev & 0x40) == 0) || (b == 0x7F && (prev & 0x40) != 0))) {
                    throw failAt(start, field + ": overlong signed LEB128");
                }
                if (shift < 64 && (b & 0x40) != 0) {
                    result |= -1L << shift;
                }
                return result;
            }
            if (shift > 64) {
                throw failAt(start, field + ": signed LEB128 too large for 64 bits");
            }
            prev = b;
        }
    }

    /** Unsigned LEB128 that must fit in 32 bits ({@code leb128_u32}). */
    long ulebU32(String field) {
        int start = pos;
        long v = uleb(field);
        if (Long.compareUnsigned(v, 0xFFFF_FFFFL) > 0) {
            throw failAt(start, field + ": " + Long.toUnsignedString(v) + " does not fit in 32 bits");
        }
        return v;
    }

    /**
     * A count of items each at least {@code minItemBytes} long: refused unless that many items
     * could fit in the bytes that remain, so no caller ever loops or allocates for a claimed count.
     */
    int count(String field, int minItemBytes) {
        int start = pos;
        long n = uleb(field);
        if (Long.compareUnsigned(n, remaining() / minItemBytes) > 0) {
            throw failAt(start, field + ": count " + Long.toUnsignedString(n) + " needs at least "
                    + minItemBytes + " bytes each, only " + remaining() + " bytes remain");
        }
        return (int) n;
    }

    /** A byte length that must be present in the bytes that remain; the bytes are skipped. Returns their start. */
    int lengthPrefixed(String field) {
        int start = pos;
        long n = uleb(field + " length");
        if (Long.compareUnsigned(n, remaining()) > 0) {
            throw failAt(start, field + ": length " + Long.toUnsignedString(n) + " but only " + remaining()
                    + " bytes remain");
        }
        int dataStart = pos;
        pos += (int) n;
        return dataStart;
    }

    void expectEnd(String what) {
        if (pos != end) {
            throw fail(what + ": " + remaining() + " trailing bytes");
        }
    }
}
