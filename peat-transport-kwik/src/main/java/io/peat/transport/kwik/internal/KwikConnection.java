package io.peat.transport.kwik.internal;

import io.peat.spi.ByteStream;
import io.peat.spi.CloseReason;
import io.peat.spi.ConnectionClosedException;
import io.peat.spi.PeerAddress;
import io.peat.spi.PeerConnection;
import io.peat.spi.PeerId;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import tech.kwik.core.ConnectionTerminatedEvent;
import tech.kwik.core.QuicConnection;
import tech.kwik.core.QuicStream;

/** A verified Kwik QUIC connection as an SPI {@link PeerConnection}. */
final class KwikConnection implements PeerConnection {

    private final KwikTransport transport;
    private final QuicConnection quic;
    private final PeerAddress remoteAddress;
    private final boolean initiator;
    private volatile PeerId remotePeerId;
    private final Map<Integer, KwikStream> streams = new ConcurrentHashMap<>();
    /** Streams done on our side whose output Kwik may still have to send (watched for its lost send request). */
    private final Set<KwikStream> draining = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<CloseReason> closeFuture = new CompletableFuture<>();
    private volatile CloseReason closeReason;
    /** Set by streams (any thread) when they read or write; cleared by the transport's keep-alive tick. */
    private volatile boolean streamActivity;
    /** Peer-opened streams are held here until the connection is verified and reported. */
    private final Object dispatchLock = new Object();
    private List<KwikStream> held = new ArrayList<>();
    private volatile Consumer<KwikStream> identityStreamHandler;

    KwikConnection(KwikTransport transport, QuicConnection quic, PeerAddress remoteAddress, boolean initiator, PeerId remotePeerId) {
        this.transport = transport;
        this.quic = quic;
        this.remoteAddress = remoteAddress;
        this.initiator = initiator;
        this.remotePeerId = remotePeerId;
    }

    /** Wires Kwik's callbacks; call before the connection can deliver streams. */
    void attach() {
        quic.setConnectionListener(event -> onTerminated(event));
        quic.setPeerInitiatedStreamCallback(this::onPeerStream);
        if (quic.isDatagramExtensionEnabled()) {
            quic.setDatagramHandler(data -> { }, transport.datagramSink());
        }
    }

    QuicConnection quic() {
        return quic;
    }

    void setRemotePeerId(PeerId id) {
        this.remotePeerId = id;
    }

    /** The acceptor's identity exchange takes the first peer-opened stream. */
    void onIdentityStream(Consumer<KwikStream> handler) {
        this.identityStreamHandler = handler;
    }

    /** Called on a Kwik thread: hand off at once. */
    void onPeerStream(QuicStream qs) {
        KwikStream s = new KwikStream(this, qs, false);
        streams.put(qs.getStreamId(), s);
        if (closeReason != null) {
            s.terminate(closedException());
            return;
        }
        Consumer<KwikStream> identity = identityStreamHandler;
        if (identity != null) {
            identityStreamHandler = null;
            execute(() -> identity.accept(s));
            return;
        }
        synchronized (dispatchLock) {
            if (held != null) {
                held.add(s);
                return;
            }
        }
        execute(() -> dispatch(s));
    }

    /** The connection is verified: report held streams from now on. */
    void releaseHeldStreams() {
        List<KwikStream> h;
        synchronized (dispatchLock) {
            h = held;
            held = null;
        }
        if (h == null) {
            return;
        }
        for (KwikStream s : h) {
            dispatch(s);
        }
    }

    private void dispatch(KwikStream s) {
        synchronized (dispatchLock) { // one listener call at a time per connection
            try {
                transport.listener().onStream(s);
            } catch (RuntimeException | Error e) {
                KwikTransport.LOG.log(Level.WARNING, "the transport listener threw from onStream(" + s + "); the stream is reset", e);
                s.reset(0);
            }
        }
    }

    void reportConnection() {
        synchronized (dispatchLock) {
            try {
                transport.listener().onConnection(this);
            } catch (RuntimeException | Error e) {
                KwikTransport.LOG.log(Level.WARNING, "the transport listener threw from onConnection(" + this + ")", e);
            }
        }
    }

    boolean execute(Runnable r) {
        return transport.execute(r);
    }

    KwikStream openStreamNow() throws java.io.IOException {
        QuicStream qs = quic.createStream(true);
        KwikStream s = new KwikStream(this, qs, true);
        streams.put(qs.getStreamId(), s);
        return s;
    }

    @Override
    public PeerId remotePeerId() {
        return remotePeerId;
    }

    @Override
    public PeerAddress remoteAddress() {
        return remoteAddress;
    }

    @Override
    public boolean isInitiator() {
        return initiator;
    }

    @Override
    public CompletionStage<ByteStream> openStream() {
        if (closeReason != null) {
            return CompletableFuture.failedFuture(closedException());
        }
        try {
            return CompletableFuture.completedFuture(openStreamNow());
        } catch (java.io.IOException | RuntimeException e) {
            if (closeReason != null || !quicConnected()) {
                return CompletableFuture.failedFuture(closedException());
            }
            return CompletableFuture.failedFuture(new io.peat.spi.TransportException("cannot open a stream to " + remotePeerId
                    + " at " + remoteAddress + ": " + e.getMessage(), e));
        }
    }

    private boolean quicConnected() {
        return closeReason == null;
    }

    /** A stream of this connection read or wrote bytes. Any thread. */
    void streamActivity() {
        streamActivity = true;
    }

    /** @return whether a stream read or wrote since the last call (which clears it) */
    boolean takeStreamActivity() {
        boolean was = streamActivity;
        streamActivity = false;
        return was;
    }

    @Override
    public boolean isOpen() {
        return closeReason == null;
    }

    @Override
    public void close(long code, String reason) {
        if (!markClosed(new CloseReason(code, reason, false))) {
            return;
        }
        try {
            quic.close(code, reason == null ? "" : reason);
        } catch (RuntimeException e) {
            KwikTransport.LOG.log(Level.DEBUG, "closing the Kwik connection to " + remoteAddress + " failed", e);
        }
    }

    private void onTerminated(ConnectionTerminatedEvent e) {
        CloseReason r;
        switch (e.closeReason()) {
            case IdleTimeout -> r = new CloseReason(CloseReason.LOST, "idle timeout: no packet from the peer", false);
            case ConnectionLost -> r = new CloseReason(CloseReason.LOST, "connection lost: probes not answered", false);
            case StatelessReset -> r = new CloseReason(CloseReason.LOST, "stateless reset by the peer", true);
            default -> {
                if (e.hasApplicationError()) {
                    String d = e.errorDescription();
                    String prefix = "Application error: " + e.applicationErrorCode();
                    String reason = d.startsWith(prefix) ? d.substring(prefix.length()).trim() : d;
                    if (reason.startsWith("(") && reason.endsWith(")")) {
                        reason = reason.substring(1, reason.length() - 1);
                    }
                    r = new CloseReason(e.applicationErrorCode(), reason, e.closedByPeer());
                } else if (e.hasTransportError()) {
                    r = new CloseReason(CloseReason.LOST, e.errorDescription(), e.closedByPeer());
                } else {
                    r = new CloseReason(CloseReason.NORMAL, "", e.closedByPeer());
                }
            }
        }
        markClosed(r);
    }

    /** @return true when this call closed it */
    boolean markClosed(CloseReason reason) {
        synchronized (this) {
            if (closeReason != null) {
                return false;
            }
            closeReason = reason;
        }
        ConnectionClosedException e = new ConnectionClosedException(remotePeerId, reason);
        for (KwikStream s : streams.values()) {
            s.terminate(e);
        }
        draining.clear();
        transport.connectionClosed(this);
        // Complete off the caller's (possibly Kwik's) thread only if we can; else inline.
        if (!execute(() -> closeFuture.complete(reason))) {
            closeFuture.complete(reason);
        }
        return true;
    }

    ConnectionClosedException closedException() {
        CloseReason r = closeReason;
        return new ConnectionClosedException(remotePeerId, r != null ? r : new CloseReason(CloseReason.LOST, "connection closed", false));
    }

    /** Kwik aborted a stream because the connection ended: wait briefly for the reason. */
    ConnectionClosedException awaitClosedException() {
        if (closeReason == null) {
            try {
                closeFuture.get(2, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // fall through
            }
        }
        return closedException();
    }

    void streamMaybeDone(KwikStream s) {
        if (s.closedBothWays()) {
            streamDone(s);
        }
    }

    void streamDone(KwikStream s) {
        if (streams.remove((int) s.id(), s) && isOpen() && s.startDrain(System.nanoTime())) {
            draining.add(s);
        }
    }

    Iterable<KwikStream> draining() {
        return draining;
    }

    void drained(KwikStream s) {
        draining.remove(s);
    }

    Iterable<KwikStream> streams() {
        return streams.values();
    }

    @Override
    public CompletionStage<CloseReason> closeFuture() {
        return closeFuture;
    }

    @Override
    public String toString() {
        return "KwikConnection[" + remotePeerId + " at " + remoteAddress + (initiator ? ", dialed" : ", accepted") + "]";
    }
}
