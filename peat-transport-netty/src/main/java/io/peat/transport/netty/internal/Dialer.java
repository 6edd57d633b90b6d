package io.peat.transport.netty.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.util.concurrent.ScheduledFuture;
import io.peat.quic.CertificatePinning;
import io.peat.quic.HostPort;
import io.peat.quic.IdentityExchange;
import io.peat.quic.QuicConstants;
import io.peat.spi.PeatException;
import io.peat.spi.PeerAddress;
import io.peat.spi.PeerConnection;
import io.peat.spi.PeerId;
import io.peat.spi.PeerIdentityException;
import io.peat.spi.TransportException;
import io.peat.spi.internal.CompletionCauses;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * One dial: a UDP socket of its own, the QUIC handshake (ALPN and the certificate checked by
 * {@link CertificatePinning}), the pinned peer id checked against the certificate before any
 * application byte, then the identity exchange on the first stream; only then does the stage
 * complete. Everything after the bind runs on the dial's event loop.
 */
final class Dialer {
    private final NettyTransport transport;
    private final PeerAddress address;
    private final PeerId expected;
    private final Duration timeout;
    private final CompletableFuture<PeerConnection> result = new CompletableFuture<>();
    private EventLoop loop;
    private Channel udp;
    private QuicChannel quic;
    private ScheduledFuture<?> timer;

    private Dialer(NettyTransport transport, PeerAddress address, PeerId expected) {
        this.transport = transport;
        this.address = address;
        this.expected = expected;
        this.timeout = transport.settings().handshakeTimeout();
    }

    static CompletableFuture<PeerConnection> dial(NettyTransport transport, PeerAddress address, PeerId expected) {
        Dialer d = new Dialer(transport, address, expected);
        try {
            d.start();
        } catch (PeatException e) {
            d.result.completeExceptionally(e);
        } catch (RuntimeException e) {
            d.result.completeExceptionally(new TransportException("could not reach " + address + ": " + e, e));
        }
        return d.result;
    }

    private void start() {
        InetSocketAddress remote = HostPort.parse(address);
        loop = transport.nextLoop();
        InetSocketAddress local = new InetSocketAddress(remote.getAddress() instanceof Inet6Address ? "::" : "0.0.0.0", 0);
        new Bootstrap().group(loop).channel(NioDatagramChannel.class).handler(transport.factory().clientCodec()).bind(local)
                .addListener(bf -> {
                    if (!bf.isSuccess()) {
                        fail(new TransportException("could not reach " + address + ": no local UDP socket (" + bf.cause() + ")",
                                bf.cause()));
                        return;
                    }
                    udp = ((io.netty.channel.ChannelFuture) bf).channel();
                    transport.datagramOpened(udp);
                    timer = loop.schedule(() -> fail(new TransportException("could not reach " + address
                            + ": no QUIC handshake and identity exchange within " + timeout + " (property "
                            + "quic.handshakeTimeout)")), timeout.toMillis(), TimeUnit.MILLISECONDS);
                    QuicChannel.newBootstrap(udp).handler(new ConnectionHandler(transport, true, address))
                            .streamHandler(transport.streamInitializer())
                            .streamOption(ChannelOption.AUTO_READ, false).streamOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                            .remoteAddress(remote).connect().addListener(qf -> {
                                if (!qf.isSuccess()) {
                                    fail(connectFailure(qf.cause()));
                                    return;
                                }
                                onHandshake((QuicChannel) qf.getNow());
                            });
                });
    }

    private void onHandshake(QuicChannel q) {
        this.quic = q;
        NettyConnection c = q.attr(NettyConnection.KEY).get();
        if (c == null || result.isDone()) {
            q.close();
            return;
        }
        c.datagramChannel(udp);
        PeerId actual;
        try {
            Certificate[] certs;
            try {
                certs = q.sslEngine().getSession().getPeerCertificates();
            } catch (SSLPeerUnverifiedException | RuntimeException e) {
                certs = new Certificate[0];
            }
            actual = CertificatePinning.verifyPinned(address, expected, certs);
        } catch (PeerIdentityException e) {
            c.closeLocally(CloseCodes.IDENTITY_FAILED, "pinned identity mismatch: expected " + expected);
            fail(e);
            return;
        } catch (RuntimeException e) {
            c.closeLocally(CloseCodes.IDENTITY_FAILED, "certificate check failed");
            fail(new TransportException("could not verify the peer at " + address + ": " + e, e));
            return;
        }
        c.remotePeerId(actual);
        c.openStreamInternal().thenCompose(s -> IdentityExchange.dial(s, transport.identity(), actual, timeout))
                .whenComplete((v, error) -> loop.execute(() -> {
                    if (error != null) {
                        Throwable cause = CompletionCauses.unwrap(error);
                        c.closeLocally(CloseCodes.IDENTITY_FAILED, "identity exchange failed: " + cause.getMessage());
                        fail(cause instanceof PeerIdentityException pie ? pie
                                : new TransportException("identity exchange with " + expected + " at " + address + " failed: "
                                        + cause, cause));
                        return;
                    }
                    if (result.isDone() || !c.isOpen()) {
                        c.closeLocally(CloseCodes.HANDSHAKE_TIMEOUT, "the dial gave up");
                        fail(c.closedException());
                        return;
                    }
                    c.authenticated();
                    if (timer != null) {
                        timer.cancel(false);
                    }
                    Listeners.complete(result, c);
                    c.releaseHeld();
                }));
    }

    private void fail(Throwable error) {
        if (timer != null) {
            timer.cancel(false);
        }
        if (!result.isDone()) {
            Listeners.fail(result, error);
        }
        QuicChannel q = quic;
        if (q != null) {
            NettyConnection c = q.attr(NettyConnection.KEY).get();
            if (c != null && !c.isAuthenticated()) {
                c.closeLocally(CloseCodes.HANDSHAKE_TIMEOUT, "the dial failed");
            }
        } else if (udp != null) {
            udp.close();
        }
    }

    private TransportException connectFailure(Throwable cause) {
        if (cause instanceof ConnectTimeoutException) {
            return new TransportException("could not reach " + address + ": no answer to the QUIC handshake within " + timeout
                    + " (nothing listens there, or it is not reachable)", cause);
        }
        if (cause instanceof SSLException || cause instanceof io.netty.handler.codec.quic.QuicException
                || cause instanceof io.netty.handler.codec.quic.QuicClosedChannelException) {
            return new TransportException("the QUIC/TLS handshake with " + address + " failed: " + cause
                    + " (the peer must speak ALPN " + QuicConstants.ALPN + " with a self-signed P-256 certificate)", cause);
        }
        return new TransportException("could not reach " + address + ": " + cause, cause);
    }
}
