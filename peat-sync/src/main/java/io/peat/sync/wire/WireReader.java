package io.peat.sync.wire;

import io.peat.spi.ProtocolViolationException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Bounds-checked big-endian reads over a payload; every short read becomes a
 * {@link ProtocolViolationException} naming what was being read. Not thread-safe.
 */
final class WireReader {
    private final ByteBuffer buf;
    private final String what;

    WireReader(byte[] bytes, String what) {
        this.buf = ByteBuffer.wrap(bytes);
        this.what = what;
    }

    private void need(int n, String field) {
        if (buf.remaining() < n) {
            throw new ProtocolViolationException(what + ": truncated at " + field + " (needs " + n + " bytes at offset "
                    + buf.position() + ", " + buf.remaining() + " left)");
        }
    }

    int u8(String field) {
        need(1, field);
        return Byte.toUnsignedInt(buf.get());
    }

    int u16(String field) {
        need(2, field);
        return Short.toUnsignedInt(buf.getShort());
    }

    long u32(String field) {
        need(4, field);
        return Integer.toUnsignedLong(buf.getInt());
    }

    long u64(String field) {
        need(8, field);
        return buf.getLong();
    }

    byte[] bytes(long n, String field) {
        if (n > buf.remaining()) {
            need((int) Math.min(Integer.MAX_VALUE, n), field);
        }
        byte[] out = new byte[(int) n];
        buf.get(out);
        return out;
    }

    String utf8(int n, String field) {
        return new String(bytes(n, field), StandardCharsets.UTF_8);
    }

    String strictUtf8(int n, String field) {
        byte[] b = bytes(n, field);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new ProtocolViolationException(what + ": " + field + " is not valid UTF-8 (" + n + " bytes)");
        }
    }

    void expectEnd() {
        if (buf.hasRemaining()) {
            throw new ProtocolViolationException(what + ": " + buf.remaining() + " trailing bytes after the last field");
        }
    }
}
