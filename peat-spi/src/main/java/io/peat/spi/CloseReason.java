package io.peat.spi;

/**
 * Why a connection closed.
 *
 * @param code the application close code (0 = normal close)
 * @param reason a human-readable reason, never null
 * @param byPeer true when the peer closed it, false when it was closed locally or failed here
 */
public record CloseReason(long code, String reason, boolean byPeer) {

    /** Code for a normal, intentional close. */
    public static final long NORMAL = 0;
    /** Code for a connection lost without a close (idle timeout, fault, kill). */
    public static final long LOST = 1;

    /** Normalises a null reason to the empty string.
     * @param code the application close code
     * @param reason a human-readable reason (null becomes empty)
     * @param byPeer true when the peer closed it
     */
    public CloseReason {
        reason = reason == null ? "" : reason;
    }

    @Override
    public String toString() {
        return "code " + code + (reason.isEmpty() ? "" : " (" + reason + ")") + (byPeer ? " by the peer" : "");
    }
}
