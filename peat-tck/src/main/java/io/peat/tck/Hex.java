package io.peat.tck;

import java.util.HexFormat;

/** Hex text to bytes and back, ignoring spaces and underscores, for golden frames. Stateless. */
public final class Hex {
    private Hex() {
    }

    /**
     * @param text hex digits, optionally grouped with spaces or underscores
     * @return the bytes
     */
    public static byte[] bytes(String text) {
        return HexFormat.of().parseHex(text.replaceAll("[\\s_]", ""));
    }

    /**
     * @param bytes bytes
     * @return lower-case hex, no separators
     */
    public static String of(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
