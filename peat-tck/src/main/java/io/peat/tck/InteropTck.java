package io.peat.tck;

import org.junit.jupiter.api.Timeout;

/**
 * The interop kit: the sync clauses (S1-S5) and the bulk clauses (I1) of {@code CONTRACT.md} with
 * the two nodes of each clause on two different transports. Subclass it once per pairing and
 * return a fixture for each side; node A (the first node each clause makes, the dialer where one
 * backend dials the other) runs on {@link #transportA()}, node B on {@link #transportB()}:
 *
 * <pre>{@code
 * class KwikDialsNettyInteropTest extends InteropTck {
 *     public TransportFixture transportA() { return new KwikFixture(); }
 *     public TransportFixture transportB() { return new NettyFixture(); }
 * }
 * }</pre>
 *
 * <p>Both transports must speak the same protocol on the wire (for peat-java's QUIC transports:
 * ALPN {@code cap/automerge/1} and the identity exchange of {@code peat-quic-common}) and take
 * {@code host:port} UDP addresses, since faults are injected by the kit's {@link UdpRelayFaults}
 * (see {@link InteropFixture}). A pairing of a transport with itself is a valid subclass too.
 *
 * <p>Each test gets a new instance and so new fixtures. Runs on the JUnit test thread; everything
 * a test makes is closed after it, newest first, then the fixtures.
 */
@Timeout(300)
public abstract class InteropTck extends KitBase implements WireFormatClauses, DispatchClauses, ChannelClauses, ReconnectClauses,
        MalformedFrameClauses, InteropClauses {

    private InteropFixture fixture;

    /**
     * Called once per test, on the JUnit test thread.
     *
     * @return a new fixture for node A's transport (the dialing side)
     */
    public abstract TransportFixture transportA();

    /**
     * Called once per test, on the JUnit test thread.
     *
     * @return a new fixture for node B's transport (the dialed side)
     */
    public abstract TransportFixture transportB();

    /** @return the fixture that puts alternate nodes of the test on A's and B's transports */
    @Override
    public final TransportFixture fixture() {
        if (fixture == null) {
            fixture = new InteropFixture(transportA(), transportB());
        }
        return fixture;
    }
}
