package io.peat.sync.internal.automerge;

/**
 * How many inflated bytes one payload check may still produce. Native code inflates compressed
 * chunks and columns without a limit, so a small deflate bomb would exhaust memory and abort the
 * JVM; the check refuses a payload whose compressed parts inflate past the budget. Not thread-safe:
 * one budget per check.
 */
final class InflateBudget {
    private long left;
    private final long limit;

    InflateBudget(long limit) {
        this.limit = limit;
        this.left = limit;
    }

    long left() {
        return left;
    }

    long limit() {
        return limit;
    }

    void spend(long n) {
        left -= n;
    }
}
