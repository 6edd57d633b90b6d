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
    /**
     * Code a node gives every connection when it closes on purpose (SPEC 3.11): its peers neither
     * redial it at once nor replay what they had queued for it.
     */
    public static final long GOING_AWAY = 2;
    /**
     * Code for one of two connections a simultaneous dial left between the same pair of peers: the
     * connection dialed by the lower peer id is kept, and the other one's dialer closes it with this
     * code once the persistent stream has settled on the kept one. Not a departure.
     */
    public static final long DUPLICATE = 3;

    /** Normalises a null reason to the empty string.
     * @param code the application close code
     * @param reason a human-readable reason (null becomes empty)
     * @param byPeer true when the peer closed it
     */
    public CloseReason {
        reason = reason == null ? "" : reason;
    }

    /** @return whether the peer closed the connection because its node is closing ({@link #GOING_AWAY}) */
    public boolean isPeerGoingAway() {
        return byPeer && code == GOING_AWAY;
    }

    @Override
    public String toString() {
        return "code " + code + (reason.isEmpty() ? "" : " (" + reason + ")") + (byPeer ? " by the peer" : "");
    }
}
