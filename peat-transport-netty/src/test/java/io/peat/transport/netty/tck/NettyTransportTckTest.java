package io.peat.transport.netty.tck;

import io.peat.tck.TransportFixture;
import io.peat.tck.TransportTck;

/** Runs the whole conformance kit against the netty transport. */
class NettyTransportTckTest extends TransportTck {
    private final NettyFixture fixture = new NettyFixture();

    @Override
    public TransportFixture fixture() {
        return fixture;
    }
}
