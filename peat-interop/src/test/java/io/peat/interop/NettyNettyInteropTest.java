package io.peat.interop;

import io.peat.tck.InteropTck;
import io.peat.tck.TransportFixture;
import io.peat.transport.netty.tck.NettyFixture;

/** The interop kit, netty dials netty: node A on netty, node B on netty. */
class NettyNettyInteropTest extends InteropTck {

    @Override
    public TransportFixture transportA() {
        return new NettyFixture();
    }

    @Override
    public TransportFixture transportB() {
        return new NettyFixture();
    }
}
