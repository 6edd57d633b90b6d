package io.peat.transport.inmem;

import io.peat.spi.StreamResetException;

/**
 * Both sides of one stream: its two {@link Pipe}s and the {@link InMemoryStream} handle each side
 * holds.
 *
 * <p>All mutable state is guarded by the connection's lock ({@link ConnectionCore#lock}); every
 * method must be called with it held.
 */
final class StreamCore {

    final ConnectionCore conn;
    final long id;
    final InMemoryConnection opener;
    final InMemoryConnection other;
    private final Pipe fromOpener;
    private final Pipe toOpener;
    private final InMemoryStream openerHandle;
    private final InMemoryStream otherHandle;

    // Guarded by the connection lock.
    private boolean announced;
    private boolean reset;

    StreamCore(ConnectionCore conn, long id, InMemoryConnection opener) {
        this.conn = conn;
        this.id = id;
        this.opener = opener;
        this.other = conn.peerOf(opener);
        this.fromOpener = new Pipe(this, opener, other, conn.network.link(opener.localPeerId(), other.localPeerId()),
                other.transport().windowBytes());
        this.toOpener = new Pipe(this, other, opener, conn.network.link(other.localPeerId(), opener.localPeerId()),
                opener.transport().windowBytes());
        this.openerHandle = new InMemoryStream(this, opener);
        this.otherHandle = new InMemoryStream(this, other);
    }

    /** @return the handle {@code end} uses */
    InMemoryStream handle(InMemoryConnection end) {
        return end == opener ? openerHandle : otherHandle;
    }

    /** @return the pipe {@code end} writes into */
    Pipe outbound(InMemoryConnection end) {
        return end == opener ? fromOpener : toOpener;
    }

    /** @return the pipe {@code end} reads from */
    Pipe inbound(InMemoryConnection end) {
        return end == opener ? toOpener : fromOpener;
    }

    /** Tells the non-opening side about the stream, once, when its first byte or FIN arrives there. */
    void announceTo(InMemoryConnection receiver, Deferred out) {
        if (receiver == opener || announced) {
            return;
        }
        announced = true;
        InMemoryStream h = otherHandle;
        out.run(other.executor(), () -> other.transport().fireOnStream(h));
    }

    /** Drops the stream from the connection once both directions have been read to the end. */
    void retireIfDone() {
        if (fromOpener.eofRead() && toOpener.eofRead()) {
            conn.retire(this);
        }
    }

    /** Resets the stream on behalf of {@code end}'s application; see {@link io.peat.spi.ByteStream#reset}. */
    void resetLocked(InMemoryConnection end, long code, Deferred out) {
        if (reset || conn.isClosed()) {
            return;
        }
        if (outbound(end).finDelivered() && inbound(end).eofRead()) {
            return; // closed both ways: nothing left to abort
        }
        reset = true;
        InMemoryConnection peer = conn.peerOf(end);
        StreamResetException local = new StreamResetException(end.remotePeerId(), id, code, false);
        StreamResetException remote = new StreamResetException(peer.remotePeerId(), id, code, true);
        outbound(end).abort(local, remote, true, out);
        inbound(end).abort(remote, local, true, out);
        conn.retire(this);
    }

    /** Resets the stream on behalf of the network: both sides see a reset by the peer, code 0xDEAD. */
    void networkResetLocked(Deferred out) {
        if (reset || conn.isClosed()) {
            return;
        }
        reset = true;
        long code = InMemoryNetwork.NETWORK_RESET_CODE;
        StreamResetException atOpener = new StreamResetException(opener.remotePeerId(), id, code, true);
        StreamResetException atOther = new StreamResetException(other.remotePeerId(), id, code, true);
        fromOpener.abort(atOpener, atOther, false, out);
        toOpener.abort(atOther, atOpener, false, out);
        conn.retire(this);
    }

    /** Fails everything on the stream because the connection closed. */
    void connectionClosedLocked(boolean discardDelivered, Deferred out) {
        fromOpener.abort(conn.closedException(opener), conn.closedException(other), discardDelivered, out);
        toOpener.abort(conn.closedException(other), conn.closedException(opener), discardDelivered, out);
    }
}
