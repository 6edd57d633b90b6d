package io.peat.spi;

/**
 * The peer reached at an address is not the peer that was expected there (a pinned identity did
 * not match), or could not prove its identity. The connection is closed; nothing was exchanged.
 */
public class PeerIdentityException extends TransportException {
    private static final long serialVersionUID = 1L;

    /**
     * @param address the address dialed
     * @param expected the peer id the caller pinned
     * @param actual the peer id presented, or {@code null} when none could be verified
     */
    public PeerIdentityException(PeerAddress address, PeerId expected, PeerId actual) {
        super("peer at " + address + " is " + (actual == null ? "unverified" : actual) + ", expected " + expected
                + ": check the address and the peer id you dialed");
    }
}
