package io.peat.interop;

import io.peat.tck.InteropTck;
import io.peat.tck.TransportFixture;
import io.peat.transport.kwik.tck.KwikFixture;

/** The interop kit, kwik dials kwik: node A on kwik, node B on kwik. */
class KwikKwikInteropTest extends InteropTck {

    @Override
    public TransportFixture transportA() {
        return new KwikFixture();
    }

    @Override
    public TransportFixture transportB() {
        return new KwikFixture();
    }
}
