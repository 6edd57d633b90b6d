package io.peat.tck;

import java.util.Arrays;
import java.util.function.LongFunction;

/**
 * Test bytes for the transport clauses: every byte is a function of a seed and its offset, so a
 * write that arrives out of place, twice or not at all shows as a byte that differs from the
 * pattern; and byte-exact comparison that says where the first difference is in transport terms
 * ("byte 1234 differs: expected 0x05, got 0x07 (write 3 of 2000)"). Stateless.
 */
final class BytePattern {
    private BytePattern() {
    }

    /**
     * @param seed the stream's seed
     * @param offset the byte's offset on the stream
     * @return the pattern byte there
     */
    static byte at(long seed, long offset) {
        long x = offset * 0x9E3779B97F4A7C15L + seed * 0xC2B2AE3D27D4EB4FL + 0x165667B19E3779F9L;
        x ^= x >>> 33;
        x *= 0xFF51AFD7ED558CCDL;
        x ^= x >>> 33;
        return (byte) x;
    }

    /**
     * @param seed the stream's seed
     * @param from the offset of the first byte
     * @param n how many bytes
     * @return the pattern bytes from {@code from}
     */
    static byte[] bytes(long seed, long from, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = at(seed, from + i);
        }
        return b;
    }

    /**
     * @param sizes the size of each write, in call order
     * @return describes the write an offset belongs to ("write 3 of 2000, its byte 17")
     */
    static LongFunction<String> writes(int[] sizes) {
        long[] starts = new long[sizes.length + 1];
        for (int i = 0; i < sizes.length; i++) {
            starts[i + 1] = starts[i] + sizes[i];
        }
        return offset -> {
            int i = Arrays.binarySearch(starts, offset);
            int w = i >= 0 ? i : -i - 2;
            if (w >= sizes.length) {
                return "past the last of " + sizes.length + " writes";
            }
            return "write " + (w + 1) + " of " + sizes.length + ", its byte " + (offset - starts[w]) + " of " + sizes[w];
        };
    }

    /**
     * Asserts that the bytes read are exactly the bytes written.
     *
     * @param what which stream and direction ("the bytes b wrote, as a read them")
     * @param expected the bytes written, in order
     * @param actual the bytes read up to the end of stream
     * @param locate describes an offset in terms of the writes made
     */
    static void assertSame(String what, byte[] expected, byte[] actual, LongFunction<String> locate) {
        int n = Math.min(expected.length, actual.length);
        int i = Arrays.mismatch(expected, 0, n, actual, 0, n);
        if (i >= 0) {
            throw new AssertionError(what + ": byte " + i + " differs: expected " + hex(expected[i]) + ", got " + hex(actual[i])
                    + " (" + locate.apply(i) + "); " + diagnose(expected, actual, i, locate) + " (" + actual.length + " of "
                    + expected.length + " bytes arrived)");
        }
        if (actual.length < expected.length) {
            throw new AssertionError(what + ": only " + actual.length + " of " + expected.length + " bytes arrived before the"
                    + " end of stream; the bytes from offset " + actual.length + " on (" + locate.apply(actual.length)
                    + ") were lost");
        }
        if (actual.length > expected.length) {
            throw new AssertionError(what + ": " + actual.length + " bytes arrived but " + expected.length + " were written: "
                    + (actual.length - expected.length) + " extra bytes after the last write (was a write delivered twice?)");
        }
    }

    /** Says where the bytes found at {@code i} were written, when they belong to the pattern elsewhere. */
    private static String diagnose(byte[] expected, byte[] actual, int i, LongFunction<String> locate) {
        if (expected.length == actual.length) {
            int last = expected.length - 1;
            while (last > i && expected[last] == actual[last]) {
                last--;
            }
            byte[] e = Arrays.copyOfRange(expected, i, last + 1);
            byte[] a = Arrays.copyOfRange(actual, i, last + 1);
            Arrays.sort(e);
            Arrays.sort(a);
            if (Arrays.equals(e, a)) {
                return "every byte written arrived, but out of order: bytes " + i + ".." + last + " (" + locate.apply(i) + " to "
                        + locate.apply(last) + ") came in a different order than they were written (writes reordered)";
            }
        }
        int probe = Math.min(16, actual.length - i);
        if (probe >= 8) {
            for (int j = 0; j + probe <= expected.length; j++) {
                if (j != i && Arrays.equals(expected, j, j + probe, actual, i, i + probe)) {
                    return "the bytes found there were written at offset " + j + " (" + locate.apply(j) + "): writes arrived "
                            + (j < i ? "twice or out of order" : "out of order or a write was lost");
                }
            }
        }
        return "the bytes there are not bytes that were written at any offset (torn or corrupted data)";
    }

    /**
     * @param b a byte
     * @return it as {@code 0x05}
     */
    static String hex(byte b) {
        return String.format("0x%02x", b & 0xff);
    }
}
