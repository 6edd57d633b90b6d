package io.peat.tck;

import java.time.Duration;

/**
 * The kit's time budgets, from one place. Each wait in the kit is bounded by {@link #await()}
 * (default 30 s); override with system property {@code peat.tck.await} or environment variable
 * {@code PEAT_TCK_AWAIT} (ISO-8601 like {@code PT60S}, or milliseconds). Slow machines raise it;
 * nothing in the kit asserts that anything is fast.
 */
public final class TckTimeouts {
    private TckTimeouts() {
    }

    /** @return the longest any single wait in the kit may take */
    public static Duration await() {
        String v = System.getProperty("peat.tck.await", System.getenv("PEAT_TCK_AWAIT"));
        if (v == null || v.isBlank()) {
            return Duration.ofSeconds(30);
        }
        String t = v.trim();
        try {
            return t.chars().allMatch(Character::isDigit) ? Duration.ofMillis(Long.parseLong(t)) : Duration.parse(t);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("peat.tck.await / PEAT_TCK_AWAIT='" + v + "' is not a duration; give PT60S or 60000");
        }
    }
}
