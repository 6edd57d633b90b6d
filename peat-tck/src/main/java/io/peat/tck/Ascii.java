package io.peat.tck;

import java.nio.charset.StandardCharsets;

/** Short ASCII texts the clauses write and read back. Stateless. */
final class Ascii {
    private Ascii() {
    }

    /** @return the text's bytes */
    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** @return the bytes as text */
    static String text(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }
}
