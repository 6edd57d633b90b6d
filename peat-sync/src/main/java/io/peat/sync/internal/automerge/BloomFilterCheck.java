package io.peat.sync.internal.automerge;

/**
 * Checks one encoded Bloom filter of a sync message's {@code have} entry, as automerge 0.5.7
 * ({@code sync/bloom.rs}) parses and later probes it. Rules:
 *
 * <ul>
 *   <li>an empty encoding is the empty filter;</li>
 *   <li>otherwise {@code num_entries}, {@code bits_per_entry} and {@code num_probes} are LEB128
 *       {@code u32}s and {@code num_entries} is not 0 (Automerge never encodes an empty filter
 *       with a header);</li>
 *   <li>{@code bits_per_entry} is 1..{@value #MAX_BITS_PER_ENTRY}: 0 gives a zero-length bit
 *       array, and probing it divides by zero in native code (the issue 10 abort);</li>
 *   <li>{@code num_probes} is 1..{@value #MAX_PROBES}: native code allocates and computes
 *       {@code num_probes} probes per change it looks up, so a huge count aborts on allocation;</li>
 *   <li>the bit array is exactly {@code ceil(num_entries * bits_per_entry / 8)} bytes and nothing
 *       follows it.</li>
 * </ul>
 *
 * Stateless; any thread.
 */
final class BloomFilterCheck {
    /** Automerge writes 10; anything up to this is accepted. */
    static final int MAX_BITS_PER_ENTRY = 64;
    /** Automerge writes 7; anything up to this is accepted. */
    static final int MAX_PROBES = 64;

    private BloomFilterCheck() {
    }

    /** @param in a cursor over exactly the filter's bytes */
    static void check(ByteCursor in) {
        if (in.atEnd()) {
            return;
        }
        int at = in.pos();
        long entries = in.ulebU32("bloom num_entries");
        long bitsPerEntry = in.ulebU32("bloom bits_per_entry");
        long probes = in.ulebU32("bloom num_probes");
        if (entries == 0) {
            throw in.failAt(at, "bloom filter with 0 entries must be encoded empty, has " + (in.end() - at) + " bytes");
        }
        if (bitsPerEntry < 1 || bitsPerEntry > MAX_BITS_PER_ENTRY) {
            throw in.failAt(at, "bloom bits_per_entry " + bitsPerEntry + " outside 1.." + MAX_BITS_PER_ENTRY
                    + " (num_entries " + entries + ")");
        }
        if (probes < 1 || probes > MAX_PROBES) {
            throw in.failAt(at, "bloom num_probes " + probes + " outside 1.." + MAX_PROBES);
        }
        // entries < 2^32 and bitsPerEntry <= 64: the product fits a long exactly.
        long bits = entries * bitsPerEntry;
        long bytes = (bits + 7) / 8;
        if (bytes != in.remaining()) {
            throw in.fail("bloom bit array of " + in.remaining() + " bytes, but num_entries " + entries
                    + " x bits_per_entry " + bitsPerEntry + " needs " + bytes);
        }
        in.take(bytes, "bloom bits");
    }
}
