package io.peat.transport.netty.internal;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.ScheduledFuture;
import io.peat.quic.HostPort;
import io.peat.quic.IdentityExchange;
import io.peat.spi.ByteStream;
import io.peat.spi.CloseReason;
import io.peat.spi.ConnectionClosedException;
import io.peat.spi.PeerAddress;
import io.peat.spi.PeerConnection;
import io.peat.spi.PeerId;
import io.peat.spi.internal.CompletionCauses;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A {@link PeerConnection} over one Netty {@link QuicChannel}. Streams the peer opens before the
 * connection is authenticated (the identity exchange on the dialer's first stream) are held back
 * and reported only once it is; a connection that fails authentication is closed and reports none.
 *
 * <p>Threads: public methods may be called from any thread and hand their work to the
 * connection's event loop, where every field that is not {@code volatile} is confined. Listener
 * callbacks and stage completions run on that event loop, outside any lock, one at a time.
 */
final class NettyConnection implements PeerConnection {
    static final AttributeKey<NettyConnection> KEY = AttributeKey.valueOf(NettyConnection.class, "connection");
    static final AttributeKey<NettyStream> STREAM_KEY = AttributeKey.valueOf(NettyConnection.class, "stream");

    private static final byte[] KEEP_ALIVE = {0};

    private final NettyTransport transport;
    private final QuicChannel quic;
    private final EventLoop loop;
    private final boolean initiator;
    private final PeerAddress dialed;
    private final CompletableFuture<CloseReason> closeFuture = new CompletableFuture<>();

    private volatile PeerId remotePeerId;
    private volatile boolean authenticated;
    private volatile CloseReason closed;

    // Event loop only.
    private final Map<Long, NettyStream> streams = new HashMap<>();
    private final List<NettyStream> held = new ArrayList<>();
    private CloseReason peerClose;
    private boolean exchangeStarted;
    private ScheduledFuture<?> keepAlive;
    /** Set by streams on their event loop, cleared by the keep-alive tick (same loop). */
    private volatile boolean streamActivity;
    private ScheduledFuture<?> handshakeTimer;
    private Channel datagramChannel;

    NettyConnection(NettyTransport transport, QuicChannel quic, boolean initiator, PeerAddress dialed) {
        this.transport = transport;
        this.quic = quic;
        this.loop = quic.eventLoop();
        this.initiator = initiator;
        this.dialed = dialed;
        if (!initiator) {
            Duration hs = transport.settings().handshakeTimeout();
            handshakeTimer = loop.schedule(() -> {
                if (!authenticated) {
                    closeLocally(CloseCodes.HANDSHAKE_TIMEOUT, "the dialer did not prove its identity within " + hs);
                }
            }, hs.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    QuicChannel quic() {
        return quic;
    }

    EventLoop loop() {
        return loop;
    }

    @Override
    public PeerId remotePeerId() {
        return remotePeerId;
    }

    void remotePeerId(PeerId id) {
        this.remotePeerId = id;
    }

    @Override
    public PeerAddress remoteAddress() {
        if (dialed != null) {
            return dialed;
        }
        return HostPort.format(null, quic.remoteSocketAddress());
    }

    @Override
    public boolean isInitiator() {
        return initiator;
    }

    boolean isAuthenticated() {
        return authenticated;
    }

    @Override
    public CompletionStage<ByteStream> openStream() {
        if (closed != null) {
            return CompletableFuture.failedFuture(closedException());
        }
        return openStreamInternal();
    }

    /** Opens a bidirectional stream, also before the connection is authenticated (for the identity exchange). */
    CompletableFuture<ByteStream> openStreamInternal() {
        CompletableFuture<ByteStream> f = new CompletableFuture<>();
        execute(() -> {
            if (closed != null) {
                Listeners.fail(f, closedException());
                return;
            }
            quic.newStreamBootstrap().type(QuicStreamType.BIDIRECTIONAL).handler(new StreamInboundHandler())
                    .option(ChannelOption.AUTO_READ, false).option(ChannelOption.ALLOW_HALF_CLOSURE, true).create()
                    .addListener(r -> {
                        if (!r.isSuccess()) {
                            Listeners.fail(f, closed != null ? closedException()
                                    : new io.peat.spi.TransportException("could not open a stream to " + remotePeerId + " at "
                                            + remoteAddress() + ": " + r.cause(), r.cause()));
                            return;
                        }
                        QuicStreamChannel ch = (QuicStreamChannel) r.getNow();
                        NettyStream s = ch.attr(STREAM_KEY).get();
                        if (s == null) {
                            ch.close();
                            Listeners.fail(f, closedException());
                        } else {
                            Listeners.complete(f, s);
                        }
                    });
        }, f);
        return f;
    }

    @Override
    public boolean isOpen() {
        return closed == null;
    }

    @Override
    public void close(long code, String reason) {
        execute(() -> closeLocally(code, reason), null);
    }

    @Override
    public CompletionStage<CloseReason> closeFuture() {
        return closeFuture;
    }

    /** @return the exception for operations on this connection once it is closed (or going) */
    ConnectionClosedException closedException() {
        return new ConnectionClosedException(remotePeerId, reasonNow());
    }

    private CloseReason reasonNow() {
        CloseReason c = closed;
        if (c != null) {
            return c;
        }
        if (peerClose != null) {
            return peerClose;
        }
        if (quic.isTimedOut()) {
            return new CloseReason(CloseReason.LOST, "idle timeout: nothing heard from the peer for "
                    + transport.settings().idleTimeout(), false);
        }
        return new CloseReason(CloseReason.LOST, "connection lost", false);
    }

    // ---- event loop side ----

    void datagramChannel(Channel ch) {
        this.datagramChannel = ch;
    }

    private void execute(Runnable task, CompletableFuture<?> onRejected) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            if (onRejected != null) {
                Listeners.fail(onRejected, new ConnectionClosedException(remotePeerId, closed != null ? closed
                        : new CloseReason(CloseReason.NORMAL, "the endpoint is closed", false)));
            }
        }
    }

    /** The QUIC handshake completed (channelActive). */
    void onEstablished() {
        Duration every = transport.settings().keepAlive();
        if (!every.isZero() && keepAlive == null && closed == null) {
            keepAlive = loop.scheduleAtFixedRate(this::sendKeepAlive, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** A stream of this connection read or wrote bytes: the path is in use, no keep-alive is needed this interval. */
    void streamActivity() {
        streamActivity = true;
    }

    private void sendKeepAlive() {
        if (streamActivity) {
            // Stream bytes went one way or the other since the last tick: they (and their ACKs) keep both
            // ends' idle timers fresh, so a keep-alive would only cost two datagrams.
            streamActivity = false;
            return;
        }
        if (quic.isActive() && closed == null) {
            // A DATAGRAM frame is ack-eliciting: it keeps an idle but live path from timing out.
            quic.writeAndFlush(Unpooled.wrappedBuffer(KEEP_ALIVE)).addListener(f -> {
                if (!f.isSuccess()) {
                    Listeners.LOG.log(Level.DEBUG, "keep-alive to " + remotePeerId + " not sent: " + f.cause());
                }
            });
        }
    }

    void streamAdded(NettyStream s) {
        streams.put(s.id(), s);
        if (closed != null) {
            s.onConnectionClosed(closedException());
            s.channel().close();
            return;
        }
        if (!s.isLocallyInitiated()) {
            onRemoteStream(s);
        }
    }

    void streamRemoved(NettyStream s) {
        streams.remove(s.id(), s);
        held.remove(s);
    }

    private void onRemoteStream(NettyStream s) {
        if (!initiator && !exchangeStarted && s.id() == 0) {
            exchangeStarted = true;
            runAcceptExchange(s);
        } else if (!authenticated) {
            held.add(s);
        } else {
            // Announce after the stream's registration has finished.
            loop.execute(() -> announce(s));
        }
    }

    private void announce(NettyStream s) {
        if (closed != null) {
            return;
        }
        Throwable t = Listeners.isolate(() -> transport.listener().onStream(s));
        if (t != null) {
            Listeners.LOG.log(Level.WARNING, "the transport listener threw from onStream for " + s + "; resetting that stream", t);
            s.reset(CloseCodes.STREAM_REFUSED);
        }
    }

    private void runAcceptExchange(NettyStream s) {
        CompletionStage<PeerId> exchange;
        try {
            exchange = IdentityExchange.accept(s, transport.identity(), transport.settings().handshakeTimeout());
        } catch (RuntimeException e) {
            closeLocally(CloseCodes.IDENTITY_FAILED, "identity exchange failed: " + e.getMessage());
            return;
        }
        exchange.whenComplete((id, error) -> execute(() -> {
            if (closed != null) {
                return;
            }
            if (error != null || id == null) {
                Throwable cause = error == null ? new IllegalStateException("no peer id") : CompletionCauses.unwrap(error);
                Listeners.LOG.log(Level.DEBUG, "identity exchange with " + remoteAddress() + " failed", cause);
                closeLocally(CloseCodes.IDENTITY_FAILED, "identity exchange failed: " + cause.getMessage());
                return;
            }
            remotePeerId = id;
            authenticated();
            Throwable t = Listeners.isolate(() -> transport.listener().onConnection(this));
            if (t != null) {
                Listeners.LOG.log(Level.WARNING, "the transport listener threw from onConnection for " + this
                        + "; closing that connection", t);
                closeLocally(CloseCodes.LISTENER_FAILED, "the listener refused the connection: " + t);
                return;
            }
            releaseHeld();
        }, null));
    }

    /** Marks the connection authenticated (the streams held back are released by {@link #releaseHeld}). */
    void authenticated() {
        authenticated = true;
        if (handshakeTimer != null) {
            handshakeTimer.cancel(false);
            handshakeTimer = null;
        }
    }

    /** Reports the streams the peer opened before authentication, in arrival order. */
    void releaseHeld() {
        List<NettyStream> release = new ArrayList<>(held);
        held.clear();
        for (NettyStream s : release) {
            announce(s);
        }
    }

    void onPeerClose(QuicConnectionCloseEvent e) {
        if (peerClose != null) {
            return;
        }
        String reason = NettyEmptyCloseReason.reasonOf(e);
        if (e.isApplicationClose()) {
            peerClose = new CloseReason(e.error(), reason, true);
        } else {
            peerClose = new CloseReason(CloseReason.LOST, "QUIC transport error " + e.error()
                    + (e.isTlsError() ? " (TLS alert " + QuicConnectionCloseEvent.extractTlsError(e.error()) + ")" : "")
                    + " " + reason, true);
        }
    }

    void onChannelInactive() {
        finishClose(reasonNow());
    }

    /** Closes the connection from this side with an application close (code and reason reach the peer). */
    void closeLocally(long code, String reason) {
        if (closed != null) {
            return;
        }
        CloseReason r = new CloseReason(code, reason, false);
        finishClose(r);
        if (quic.isOpen()) {
            quic.close(true, (int) code, Unpooled.copiedBuffer(reason == null ? "" : reason, StandardCharsets.UTF_8));
        }
    }

    private void finishClose(CloseReason reason) {
        if (closed != null) {
            return;
        }
        closed = reason;
        if (keepAlive != null) {
            keepAlive.cancel(false);
        }
        if (handshakeTimer != null) {
            handshakeTimer.cancel(false);
        }
        ConnectionClosedException e = new ConnectionClosedException(remotePeerId, reason);
        for (NettyStream s : new ArrayList<>(streams.values())) {
            s.onConnectionClosed(e);
        }
        held.clear();
        Channel udp = datagramChannel;
        if (udp != null) {
            quic.closeFuture().addListener(f -> udp.close());
            if (!quic.isOpen()) {
                udp.close();
            }
        }
        transport.connectionClosed(this);
        Listeners.complete(closeFuture, reason);
    }

    @Override
    public String toString() {
        return "NettyConnection[" + (initiator ? "to " : "from ") + remotePeerId + " at " + remoteAddress()
                + (closed != null ? ", closed: " + closed : "") + "]";
    }
}
