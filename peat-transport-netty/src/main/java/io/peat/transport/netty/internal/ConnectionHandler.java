package io.peat.transport.netty.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import io.peat.spi.PeerAddress;
import java.lang.System.Logger.Level;

/**
 * The handler of one QUIC connection channel: creates its {@link NettyConnection} when added and
 * forwards the connection's events to it; drops keep-alive datagrams. Runs on the connection's
 * event loop.
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter {
    private final NettyTransport transport;
    private final boolean initiator;
    private final PeerAddress dialed;
    private NettyConnection connection;

    ConnectionHandler(NettyTransport transport, boolean initiator, PeerAddress dialed) {
        this.transport = transport;
        this.initiator = initiator;
        this.dialed = dialed;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        QuicChannel quic = (QuicChannel) ctx.channel();
        connection = new NettyConnection(transport, quic, initiator, dialed);
        quic.attr(NettyConnection.KEY).set(connection);
        transport.connectionCreated(connection);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (connection != null) {
            connection.onEstablished();
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf b) {
            b.release(); // a keep-alive datagram
        } else {
            ctx.fireChannelRead(msg); // a new stream: Netty registers it with the stream handler
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (connection != null && evt instanceof QuicConnectionCloseEvent e) {
            connection.onPeerClose(e);
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (connection != null) {
            connection.onChannelInactive();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Listeners.LOG.log(Level.DEBUG, "QUIC connection " + connection + ": " + cause, cause);
    }
}
