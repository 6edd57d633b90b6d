package io.peat.transport.inmem;

import io.peat.spi.ByteStream;
import io.peat.spi.CloseReason;
import io.peat.spi.PeerAddress;
import io.peat.spi.PeerConnection;
import io.peat.spi.PeerId;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One side of an in-memory connection. Every method may be called from any thread and never
 * blocks; stages complete on this side's endpoint threads, in order, through its own
 * {@link SerialExecutor} (so listener calls about this connection come one at a time).
 */
final class InMemoryConnection implements PeerConnection {

    private final ConnectionCore core;
    private final InMemoryTransport transport;
    private final boolean initiator;
    private final PeerId remotePeerId;
    private final PeerAddress remoteAddress;
    private final SerialExecutor executor;
    /** Completed once, through {@link #executor}. */
    private final CompletableFuture<CloseReason> closeFuture = new CompletableFuture<>();
    /** Guarded by the connection lock. */
    private CloseReason closeReason;

    InMemoryConnection(ConnectionCore core, InMemoryTransport transport, boolean initiator, PeerId remotePeerId,
            PeerAddress remoteAddress) {
        this.core = core;
        this.transport = transport;
        this.initiator = initiator;
        this.remotePeerId = remotePeerId;
        this.remoteAddress = remoteAddress;
        this.executor = new SerialExecutor(transport.threads());
    }

    /** @return the verified id of the remote peer. Any thread. */
    @Override
    public PeerId remotePeerId() {
        return remotePeerId;
    }

    /** @return the address dialed (dialer side) or the dialer's listen address or a synthetic name (acceptor side). Any thread. */
    @Override
    public PeerAddress remoteAddress() {
        return remoteAddress;
    }

    /** @return true on the dialing side. Any thread. */
    @Override
    public boolean isInitiator() {
        return initiator;
    }

    /** Opens a stream; the peer hears of it at its first byte. Any thread. */
    @Override
    public CompletionStage<ByteStream> openStream() {
        return core.openStream(this);
    }

    /** @return true until closed by either side or killed by the network. Any thread. */
    @Override
    public boolean isOpen() {
        return !core.isClosed();
    }

    /** Closes both sides; the peer's reason has byPeer=true. Idempotent. Any thread. */
    @Override
    public void close(long code, String reason) {
        core.close(this, code, reason);
    }

    /** @return completes once with the reason, on an endpoint thread; never exceptionally. Any thread. */
    @Override
    public CompletionStage<CloseReason> closeFuture() {
        return closeFuture.copy();
    }

    /** @return the network-wide id shared by both sides. Any thread. */
    long id() {
        return core.id;
    }

    PeerId localPeerId() {
        return transport.localPeerId();
    }

    InMemoryTransport transport() {
        return transport;
    }

    SerialExecutor executor() {
        return executor;
    }

    ConnectionCore core() {
        return core;
    }

    /** Call with the connection lock held. */
    CloseReason closeReasonLocked() {
        return closeReason;
    }

    /** Call with the connection lock held. */
    void setCloseReasonLocked(CloseReason reason) {
        closeReason = reason;
    }

    /** Completes {@link #closeFuture} through the executor. Call with the connection lock held. */
    void completeCloseLocked(Deferred out) {
        out.complete(this, closeFuture, closeReason);
    }

    @Override
    public String toString() {
        return "InMemoryConnection[" + core.id + " " + localPeerId() + (initiator ? " -> " : " <- ") + remotePeerId + "]";
    }
}
