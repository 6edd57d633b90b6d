package io.peat.sync.internal.automerge;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Checks a sequence of Automerge storage chunks (what {@code Document.load} and the change entries
 * of a sync message hold), as automerge 0.5.7 parses them in {@code storage/chunk.rs}: each chunk is
 * the magic bytes {@code 85 6f 4a 83}, a 4-byte checksum, a chunk type (0 document, 1 change,
 * 2 compressed change), a LEB128 data length and that many data bytes. The checksum must be the
 * first 4 bytes of SHA-256 over the type byte, the LEB128 length and the data (for a compressed
 * change: over type 1 and the inflated data). A compressed change must inflate (raw deflate)
 * completely, within the payload's {@link CheckContext}. The body is then checked by
 * {@link ChangeChunkCheck} or {@link DocumentChunkCheck}.
 *
 * <p>Stateless; any thread.
 */
final class ChunkCheck {
    /** At most this many bytes may be inflated from the compressed parts of one payload. */
    static final long MAX_INFLATED_BYTES = 64L << 20;

    static final int TYPE_DOCUMENT = 0;
    static final int TYPE_CHANGE = 1;
    static final int TYPE_COMPRESSED = 2;
    private static final byte[] MAGIC = {(byte) 0x85, 0x6f, 0x4a, (byte) 0x83};

    private ChunkCheck() {
    }

    /** Checks that {@code in} is one or more whole chunks and nothing else. */
    static void checkChunks(ByteCursor in, CheckContext budget, String what) {
        if (in.atEnd()) {
            throw in.fail(what + ": empty, expected at least one chunk");
        }
        int n = 0;
        while (!in.atEnd()) {
            checkChunk(in, budget, what + " chunk[" + n + "]");
            n++;
        }
    }

    /** Checks one chunk at the cursor and moves past it. */
    static void checkChunk(ByteCursor in, CheckContext budget, String what) {
        int start = in.pos();
        byte[] buf = in.array();
        if (in.remaining() < 4) {
            throw in.fail(what + ": truncated magic bytes");
        }
        for (int i = 0; i < 4; i++) {
            if (buf[start + i] != MAGIC[i]) {
                throw in.fail(what + ": bad magic bytes " + hex(buf, start, 4));
            }
        }
        in.take(4, what + " magic");
        int checksumAt = in.take(4, what + " checksum");
        int type = in.u8(what + " chunk type");
        if (type > TYPE_COMPRESSED) {
            throw in.failAt(in.pos() - 1, what + ": unknown chunk type " + type);
        }
        int dataStart = in.lengthPrefixed(what + " data");
        int dataEnd = in.pos();
        ByteCursor data = in.window(dataStart, dataEnd);
        if (type == TYPE_COMPRESSED) {
            byte[] inflated = inflate(data, budget, what);
            checkChecksum(buf, checksumAt, TYPE_CHANGE, inflated, 0, inflated.length, in, what);
            // Offsets inside inflated data are reported as the compressed chunk's data offset.
            ChangeChunkCheck.check(new ByteCursor(inflated, 0, inflated.length, data.offset()), budget, what + " (inflated)");
            return;
        }
        checkChecksum(buf, checksumAt, type, buf, dataStart, dataEnd, in, what);
        if (type == TYPE_CHANGE) {
            ChangeChunkCheck.check(data, budget, what);
        } else {
            DocumentChunkCheck.check(data, budget, what);
        }
    }

    private static void checkChecksum(byte[] chunk, int checksumAt, int type, byte[] data, int from, int to,
                                      ByteCursor in, String what) {
        MessageDigest sha = sha256();
        sha.update((byte) type);
        long len = to - from;
        do {
            int b = (int) (len & 0x7F);
            len >>>= 7;
            sha.update((byte) (len != 0 ? b | 0x80 : b));
        } while (len != 0);
        sha.update(data, from, to - from);
        byte[] digest = sha.digest();
        for (int i = 0; i < 4; i++) {
            if (digest[i] != chunk[checksumAt + i]) {
                throw in.failAt(checksumAt, what + ": checksum " + hex(chunk, checksumAt, 4)
                        + " does not match the data (SHA-256 prefix " + hex(digest, 0, 4) + ")");
            }
        }
    }

    /**
     * Inflates raw-deflate {@code data} completely, spending the budget; refuses a stream that is
     * corrupt, truncated, followed by more bytes, or inflates past the budget.
     */
    static byte[] inflate(ByteCursor data, CheckContext budget, String what) {
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(data.array(), data.pos(), data.remaining());
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(data.remaining() * 4 + 64, 1 << 16));
            byte[] chunk = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(chunk);
                if (n == 0) {
                    if (inflater.needsInput() || inflater.needsDictionary()) {
                        throw data.fail(what + ": truncated deflate stream");
                    }
                    continue;
                }
                if (n > budget.left()) {
                    throw data.fail(what + ": inflates past the limit of " + budget.limit() + " bytes per payload");
                }
                budget.spend(n);
                out.write(chunk, 0, n);
            }
            if (inflater.getRemaining() != 0) {
                throw data.fail(what + ": " + inflater.getRemaining() + " bytes after the end of the deflate stream");
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw data.fail(what + ": corrupt deflate stream (" + e.getMessage() + ")");
        } finally {
            inflater.end();
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    static String hex(byte[] b, int from, int n) {
        StringBuilder s = new StringBuilder(2 * n);
        for (int i = from; i < from + n; i++) {
            s.append(String.format("%02x", b[i] & 0xFF));
        }
        return s.toString();
    }
}
