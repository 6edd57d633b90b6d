package io.peat.transport.netty.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.util.ReferenceCountUtil;

/**
 * The handler of one QUIC stream channel: creates its {@link NettyStream} when added and forwards
 * Netty's events to it. Runs on the stream's event loop.
 */
final class StreamInboundHandler extends ChannelInboundHandlerAdapter {
    private NettyStream stream;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        QuicStreamChannel ch = (QuicStreamChannel) ctx.channel();
        ch.config().setAutoRead(false);
        ch.config().setAllowHalfClosure(true);
        NettyConnection conn = ch.parent().attr(NettyConnection.KEY).get();
        if (conn == null) {
            ch.shutdown(CloseCodes.NOT_AUTHENTICATED);
            return;
        }
        stream = new NettyStream(conn, ch);
        ch.attr(NettyConnection.STREAM_KEY).set(stream);
        conn.streamAdded(stream);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (stream != null && msg instanceof ByteBuf b) {
            stream.onData(b);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (stream != null) {
            stream.onReadComplete();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (stream != null && evt == ChannelInputShutdownReadComplete.INSTANCE) {
            stream.onEndOfInput();
        }
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (stream != null) {
            stream.onWritabilityChanged();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (stream != null) {
            stream.onException(cause);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (stream != null) {
            stream.onChannelClosed();
            ((NettyConnection) stream.connection()).streamRemoved(stream);
        }
    }
}
