package io.peat.quic;

import io.peat.spi.PeerAddress;
import io.peat.spi.PeerId;
import io.peat.spi.PeerIdentityException;

/**
 * The in-band identity exchange ({@link IdentityExchange}) failed on identity grounds: the acceptor
 * refused the dialer's proof (seen by the dialer, {@link #byPeer()} true), or this acceptor found
 * the dialer's proof wrong ({@link #byPeer()} false). A {@link PeerIdentityException} whose message
 * adds the status and the reason sent on the wire.
 */
public class IdentityProofException extends PeerIdentityException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String reason;
    private final boolean byPeer;

    /**
     * @param address the peer's address
     * @param expected the peer id expected (the dialer: the acceptor it dialed; the acceptor: the id the dialer claimed)
     * @param actual the peer id verified, or null when none could be
     * @param status the refusal status byte (see {@link IdentityExchange})
     * @param reason why, as sent or received on the wire
     * @param byPeer true when the peer refused, false when this side did
     */
    public IdentityProofException(PeerAddress address, PeerId expected, PeerId actual, int status, String reason,
            boolean byPeer) {
        super(address, expected, actual);
        this.status = status;
        this.reason = reason;
        this.byPeer = byPeer;
    }

    /** @return the refusal status byte (non-zero) */
    public int status() {
        return status;
    }

    /** @return the reason, as sent or received */
    public String reason() {
        return reason;
    }

    /** @return true when the peer refused this side's proof, false when this side refused the peer's */
    public boolean byPeer() {
        return byPeer;
    }

    @Override
    public String getMessage() {
        return super.getMessage() + " [" + (byPeer ? "the peer refused the identity proof" : "identity proof refused")
                + ", status " + status + ": " + reason + "]";
    }
}
