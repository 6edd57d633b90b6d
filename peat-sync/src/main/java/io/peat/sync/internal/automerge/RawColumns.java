package io.peat.sync.internal.automerge;

/**
 * The column metadata of a change or document chunk ({@code storage/columns/raw_column.rs}): a
 * LEB128 count, then per column a LEB128 {@code u32} spec (id {@code << 4}, bit 3 deflate, bits
 * 0-2 type) and a LEB128 data length. Columns must be in normalized order (by spec with the deflate
 * bit cleared) and their lengths must all fit in the bytes that remain in the chunk. Immutable
 * once parsed; not shared between threads.
 */
final class RawColumns {
    static final int DEFLATE_BIT = 0x08;

    final int[] specs;
    final int[] lengths;
    final long totalLength;

    private RawColumns(int[] specs, int[] lengths, long totalLength) {
        this.specs = specs;
        this.lengths = lengths;
        this.totalLength = totalLength;
    }

    /**
     * @param in cursor at the metadata
     * @param what which columns, for messages

     */
    static RawColumns parse(ByteCursor in, String what) {
        int n = in.count(what + " column count", 2);
        int[] specs = new int[n];
        int[] lengths = new int[n];
        long total = 0;
        int prevNormal = -1;
        for (int i = 0; i < n; i++) {
            int at = in.pos();
            long spec = in.ulebU32(what + " column[" + i + "] spec");
            long len = in.uleb(what + " column[" + i + "] length");
            int normal = (int) (spec & ~DEFLATE_BIT);
            if (Integer.compareUnsigned(normal, prevNormal) < 0 && i > 0) {
                throw in.failAt(at, what + " column[" + i + "] spec " + spec + " out of normalized order after "
                        + Integer.toUnsignedString(prevNormal));
            }
            prevNormal = normal;
            // Every column's data follows the metadata, so no length can exceed what is left.
            if (Long.compareUnsigned(len, in.remaining()) > 0 || total + len > in.remaining()) {
                throw in.failAt(at, what + " column[" + i + "] length " + Long.toUnsignedString(len)
                        + " runs past the chunk (" + in.remaining() + " bytes remain)");
            }
            total += len;
            specs[i] = (int) spec;
            lengths[i] = (int) len;
        }
        return new RawColumns(specs, lengths, total);
    }

    int count() {
        return specs.length;
    }

    boolean anyDeflated() {
        for (int s : specs) {
            if ((s & DEFLATE_BIT) != 0) {
                return true;
            }
        }
        return false;
    }
}
