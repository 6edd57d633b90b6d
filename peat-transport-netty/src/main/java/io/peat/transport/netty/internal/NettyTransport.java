package io.peat.transport.netty.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.peat.quic.HostPort;
import io.peat.quic.NodeIdentity;
import io.peat.quic.QuicIdentityConfig;
import io.peat.spi.CloseReason;
import io.peat.spi.ConfigException;
import io.peat.spi.PeatException;
import io.peat.spi.PeerAddress;
import io.peat.spi.PeerConnection;
import io.peat.spi.PeerId;
import io.peat.spi.SyncTransport;
import io.peat.spi.TransportConfig;
import io.peat.spi.TransportException;
import io.peat.spi.TransportListener;
import io.peat.transport.netty.NettyTransportProvider;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One {@code netty} endpoint: an event loop group of its own ({@code peat-netty-<peer>-N}), a
 * server UDP channel once it listens, and one UDP channel per dialed connection.
 *
 * <p>Threads: every method may be called from any thread and never blocks, except {@link #close()},
 * which waits at most 10 s (and not at all when called on one of the endpoint's own threads).
 */
public final class NettyTransport implements SyncTransport {
    private final NettySettings settings;
    private final NodeIdentity identity;
    private final TransportListener listener;
    private final QuicChannelFactory factory;
    private final EventLoopGroup group;
    private final ChannelHandler streamInitializer;
    private final ChannelHandler connectionInitializer;
    private final Set<NettyConnection> connections = ConcurrentHashMap.newKeySet();
    private final Set<Channel> datagramChannels = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean listening = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile Channel server;
    private volatile PeerAddress localAddress;

    private NettyTransport(NettySettings settings, NodeIdentity identity, TransportListener listener) {
        this.settings = settings;
        this.identity = identity;
        this.listener = listener;
        this.factory = new QuicChannelFactory(identity, settings);
        this.group = new MultiThreadIoEventLoopGroup(settings.threads(), new TransportThreads(identity.peerId().value()),
                NioIoHandler.newFactory());
        this.streamInitializer = new StreamInit();
        this.connectionInitializer = new ConnectionInit(this);
    }

    /**
     * @param config the endpoint's configuration
     * @param listener told of inbound connections and streams
     * @return a new endpoint, not yet listening
     * @throws ConfigException when a property is malformed or the identity cannot be loaded
     */
    public static NettyTransport create(TransportConfig config, TransportListener listener) {
        NettySettings settings = NettySettings.from(config);
        NodeIdentity identity = QuicIdentityConfig.from(config);
        return new NettyTransport(settings, identity, listener);
    }

    @Override
    public String name() {
        return NettyTransportProvider.NAME;
    }

    @Override
    public PeerId localPeerId() {
        return identity.peerId();
    }

    @Override
    public CompletionStage<PeerAddress> listen(PeerAddress bindAddress) {
        InetSocketAddress at;
        try {
            at = HostPort.parse(bindAddress);
        } catch (PeatException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (closing.get()) {
            return CompletableFuture.failedFuture(new TransportException("cannot listen at " + bindAddress + ": the endpoint "
                    + localPeerId() + " is closed"));
        }
        if (!listening.compareAndSet(false, true)) {
            return CompletableFuture.failedFuture(new IllegalStateException("endpoint " + localPeerId() + " already listens at "
                    + localAddress));
        }
        CompletableFuture<PeerAddress> f = new CompletableFuture<>();
        try {
            new Bootstrap().group(group).channel(NioDatagramChannel.class)
                    .handler(factory.serverCodec(connectionInitializer, streamInitializer)).bind(at).addListener(bf -> {
                        if (!bf.isSuccess()) {
                            listening.set(false);
                            Listeners.fail(f, new TransportException("could not listen at " + bindAddress + ": " + bf.cause(),
                                    bf.cause()));
                            return;
                        }
                        Channel ch = ((ChannelFuture) bf).channel();
                        server = ch;
                        if (closing.get()) {
                            ch.close();
                        }
                        PeerAddress bound = HostPort.format(HostPort.hostPart(bindAddress), ch.localAddress());
                        localAddress = bound;
                        Listeners.complete(f, bound);
                    });
        } catch (RuntimeException e) {
            listening.set(false);
            f.completeExceptionally(new TransportException("could not listen at " + bindAddress + ": " + e, e));
        }
        return f;
    }

    @Override
    public Optional<PeerAddress> localAddress() {
        return Optional.ofNullable(localAddress);
    }

    @Override
    public CompletionStage<PeerConnection> connect(PeerAddress address, PeerId expectedPeer) {
        if (closing.get()) {
            return CompletableFuture.failedFuture(new TransportException("cannot dial " + address + ": the endpoint "
                    + localPeerId() + " is closed"));
        }
        return Dialer.dial(this, address, expectedPeer);
    }

    @Override
    public CompletionStage<Void> closeAsync() {
        if (!closing.compareAndSet(false, true)) {
            return closed;
        }
        for (NettyConnection c : new ArrayList<>(connections)) {
            c.close(CloseReason.NORMAL, "endpoint " + localPeerId() + " closed");
        }
        List<Channel> channels = new ArrayList<>(datagramChannels);
        Channel s = server;
        if (s != null) {
            channels.add(s);
        }
        for (Channel ch : channels) {
            // Queued after the connections' closes on the same event loop: the CONNECTION_CLOSE goes out first.
            ch.eventLoop().execute(ch::close);
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).addListener(f -> closed.complete(null));
        return closed;
    }

    @Override
    public void close() {
        CompletableFuture<Void> f = closeAsync().toCompletableFuture();
        for (EventLoop l : loops()) {
            if (l.inEventLoop()) {
                return; // waiting here would wait for ourselves
            }
        }
        try {
            f.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException e) {
            Listeners.LOG.log(Level.WARNING, "endpoint " + localPeerId() + " did not release its threads within 10 s");
        } catch (java.util.concurrent.ExecutionException e) {
            Listeners.LOG.log(Level.WARNING, "closing endpoint " + localPeerId() + " failed", e.getCause());
        }
    }

    private List<EventLoop> loops() {
        List<EventLoop> out = new ArrayList<>();
        group.forEach(e -> out.add((EventLoop) e));
        return out;
    }

    // ---- for the implementation ----

    NettySettings settings() {
        return settings;
    }

    NodeIdentity identity() {
        return identity;
    }

    TransportListener listener() {
        return listener;
    }

    QuicChannelFactory factory() {
        return factory;
    }

    ChannelHandler streamInitializer() {
        return streamInitializer;
    }

    EventLoop nextLoop() {
        return group.next();
    }

    void connectionCreated(NettyConnection c) {
        connections.add(c);
        if (closing.get()) {
            c.close(CloseReason.NORMAL, "endpoint " + localPeerId() + " closed");
        }
    }

    void connectionClosed(NettyConnection c) {
        connections.remove(c);
    }

    void datagramOpened(Channel ch) {
        datagramChannels.add(ch);
        ch.closeFuture().addListener(f -> datagramChannels.remove(ch));
        if (closing.get()) {
            ch.close();
        }
    }

    @Override
    public String toString() {
        return "NettyTransport[" + localPeerId() + (localAddress != null ? " at " + localAddress : "") + "]";
    }

    /** Adds a {@link StreamInboundHandler} to every stream channel the peer opens. */
    @ChannelHandler.Sharable
    private static final class StreamInit extends ChannelInitializer<QuicStreamChannel> {
        @Override
        protected void initChannel(QuicStreamChannel ch) {
            ch.pipeline().addLast(new StreamInboundHandler());
        }
    }

    /** Adds a {@link ConnectionHandler} to every connection the server accepts. */
    @ChannelHandler.Sharable
    private static final class ConnectionInit extends ChannelInitializer<QuicChannel> {
        private final NettyTransport transport;

        ConnectionInit(NettyTransport transport) {
            this.transport = transport;
        }

        @Override
        protected void initChannel(QuicChannel ch) {
            ch.pipeline().addLast(new ConnectionHandler(transport, false, null));
        }
    }
}
