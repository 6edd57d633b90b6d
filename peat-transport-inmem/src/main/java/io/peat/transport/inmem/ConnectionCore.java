package io.peat.transport.inmem;

import io.peat.spi.CloseReason;
import io.peat.spi.ConnectionClosedException;
import io.peat.spi.PeerAddress;
import io.peat.spi.PeerId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The wire between two in-memory endpoints: both {@link InMemoryConnection} ends, the streams they
 * share and the connection's open/closed state.
 *
 * <p>{@link #lock} guards all mutable state of the connection, its streams and their pipes. Lock
 * order: connection lock, then {@link Link} or executor queue locks (leaves). No stage completion,
 * listener or tap ever runs while it is held: those go through a {@link Deferred}.
 */
final class ConnectionCore {

    /** Guards everything mutable in this connection and its streams. */
    final ReentrantLock lock = new ReentrantLock();
    final InMemoryNetwork network;
    final long id;
    final InMemoryConnection dialer;
    final InMemoryConnection acceptor;

    // Guarded by lock.
    private final Map<Long, StreamCore> streams = new HashMap<>();
    private long nextDialerStreamId = 0;
    private long nextAcceptorStreamId = 1;
    private boolean killed;
    /** Set once by {@link #silence}: nothing is delivered either way any more, and nobody is told. */
    private volatile boolean silenced;
    /** Written under lock, read anywhere (isOpen). */
    private volatile boolean closed;

    ConnectionCore(InMemoryNetwork network, long id, InMemoryTransport dialerTransport, InMemoryTransport acceptorTransport,
            PeerAddress dialedAddress, PeerAddress dialerAddress) {
        this.network = network;
        this.id = id;
        this.dialer = new InMemoryConnection(this, dialerTransport, true, acceptorTransport.localPeerId(), dialedAddress);
        this.acceptor = new InMemoryConnection(this, acceptorTransport, false, dialerTransport.localPeerId(), dialerAddress);
    }

    /** @return the other end. Any thread. */
    InMemoryConnection peerOf(InMemoryConnection end) {
        return end == dialer ? acceptor : dialer;
    }

    /** @return true once closed or killed. Any thread. */
    boolean isClosed() {
        return closed;
    }

    /** @return true when the network killed the connection. Call with {@link #lock} held. */
    boolean wasKilled() {
        return killed;
    }

    /** @return true when the connection joins {@code a} and {@code b}, in either direction. Any thread. */
    boolean joins(PeerId a, PeerId b) {
        PeerId d = dialer.localPeerId();
        PeerId c = acceptor.localPeerId();
        return (d.equals(a) && c.equals(b)) || (d.equals(b) && c.equals(a));
    }

    /** @return the exception for {@code end}'s operations on this closed connection. Call with {@link #lock} held. */
    ConnectionClosedException closedException(InMemoryConnection end) {
        return new ConnectionClosedException(end.remotePeerId(), end.closeReasonLocked());
    }

    /** Opens a stream for {@code end}. Any thread, no lock held. */
    CompletableFuture<io.peat.spi.ByteStream> openStream(InMemoryConnection end) {
        Deferred out = new Deferred();
        CompletableFuture<io.peat.spi.ByteStream> f = new CompletableFuture<>();
        lock.lock();
        try {
            if (closed) {
                out.fail(end, f, closedException(end));
            } else {
                long sid;
                if (end == dialer) {
                    sid = nextDialerStreamId;
                    nextDialerStreamId += 4;
                } else {
                    sid = nextAcceptorStreamId;
                    nextAcceptorStreamId += 4;
                }
                StreamCore s = new StreamCore(this, sid, end);
                streams.put(sid, s);
                network.countStreamOpened((end == dialer ? acceptor : dialer).remotePeerId(), end.remotePeerId());
                out.complete(end, f, s.handle(end));
            }
        } finally {
            lock.unlock();
        }
        out.kick();
        return f;
    }

    /** Forgets a stream that is finished or reset. Call with {@link #lock} held. */
    void retire(StreamCore s) {
        streams.remove(s.id, s);
    }

    /** Runs a delayed delivery on {@code pipe}. Timer thread, no lock held. */
    void onTimer(Pipe pipe) {
        Deferred out = new Deferred();
        lock.lock();
        try {
            if (!closed) {
                pipe.progress(out);
            }
        } finally {
            lock.unlock();
        }
        out.kick();
    }

    /** Closes gracefully on behalf of {@code closer}'s application. Any thread, no lock held. */
    void close(InMemoryConnection closer, long code, String reason) {
        Deferred out = new Deferred();
        lock.lock();
        try {
            if (closed) {
                return;
            }
            CloseReason local = new CloseReason(code, reason, false);
            CloseReason remote = new CloseReason(code, reason, true);
            closer.setCloseReasonLocked(local);
            peerOf(closer).setCloseReasonLocked(remote);
            closeLocked(true, out);
        } finally {
            lock.unlock();
            out.kick();
        }
    }

    /** @return whether the network silenced the connection. Any thread. */
    boolean isSilenced() {
        return silenced;
    }

    /**
     * Silences the connection as a pulled cable would: from now on nothing is delivered either way
     * (writes fill the flow-control window, then wait) and neither end is told; each end closes it as
     * lost once its idle timeout passes (the shorter of the two ends'). Any thread, no lock held.
     */
    void silence() {
        if (silenced || closed) {
            return;
        }
        silenced = true;
        long idle = Math.min(idleNanos(dialer), idleNanos(acceptor));
        if (idle == Long.MAX_VALUE) {
            return; // both ends wait forever, as a transport without dead-peer detection would
        }
        try {
            dialer.transport().threads().schedule(this::idleOut, idle, java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // The endpoint is closing, and the connection with it.
        }
    }

    private static long idleNanos(InMemoryConnection end) {
        long n = end.transport().config().idleTimeout().toNanos();
        return n == 0 ? Long.MAX_VALUE : n;
    }

    private void idleOut() {
        Deferred out = new Deferred();
        lock.lock();
        try {
            if (closed) {
                return;
            }
            CloseReason lost = new CloseReason(CloseReason.LOST, "idle timeout: nothing from the peer (silenced by InMemoryNetwork)",
                    false);
            dialer.setCloseReasonLocked(lost);
            acceptor.setCloseReasonLocked(lost);
            killed = true;
            closeLocked(false, out);
        } finally {
            lock.unlock();
        }
        out.kick();
    }

    /** Kills the connection as a network loss. Any thread, no lock held. */
    void kill() {
        Deferred out = new Deferred();
        lock.lock();
        try {
            killLocked(out);
        } finally {
            lock.unlock();
        }
        out.kick();
    }

    /** Kills the connection as a network loss. Call with {@link #lock} held. */
    void killLocked(Deferred out) {
        if (closed) {
            return;
        }
        CloseReason lost = new CloseReason(CloseReason.LOST, "killed by InMemoryNetwork", false);
        dialer.setCloseReasonLocked(lost);
        acceptor.setCloseReasonLocked(lost);
        killed = true;
        closeLocked(false, out);
    }

    /** Resets every stream on the connection on behalf of the network. Any thread, no lock held. */
    void resetAllStreams() {
        Deferred out = new Deferred();
        lock.lock();
        try {
            for (StreamCore s : new ArrayList<>(streams.values())) {
                s.networkResetLocked(out);
            }
        } finally {
            lock.unlock();
        }
        out.kick();
    }

    private void closeLocked(boolean discardDelivered, Deferred out) {
        closed = true;
        List<StreamCore> all = new ArrayList<>(streams.values());
        streams.clear();
        for (StreamCore s : all) {
            s.connectionClosedLocked(discardDelivered, out);
        }
        dialer.completeCloseLocked(out);
        acceptor.completeCloseLocked(out);
        network.forget(this);
        dialer.transport().forget(dialer);
        acceptor.transport().forget(acceptor);
    }

    @Override
    public String toString() {
        return "connection " + id + " " + dialer.localPeerId() + " -> " + acceptor.localPeerId();
    }
}
