package io.peat.interop;

import io.peat.tck.InteropTck;
import io.peat.tck.TransportFixture;
import io.peat.transport.kwik.tck.KwikFixture;
import io.peat.transport.netty.tck.NettyFixture;

/** The interop kit, kwik dials netty: node A on kwik, node B on netty. */
class KwikDialsNettyInteropTest extends InteropTck {

    @Override
    public TransportFixture transportA() {
        return new KwikFixture();
    }

    @Override
    public TransportFixture transportB() {
        return new NettyFixture();
    }
}
