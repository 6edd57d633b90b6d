package io.peat.tck;

import org.junit.jupiter.api.Timeout;

/**
 * The peat-java conformance kit. Subclass it in your transport's tests, return your
 * {@link TransportFixture}, and Surefire runs every clause of {@code peat-tck/CONTRACT.md} against
 * your transport:
 *
 * <pre>{@code
 * class MyTransportTckTest extends TransportTck {
 *     private final TransportFixture fixture = new MyFixture();
 *
 *     @Override
 *     public TransportFixture fixture() {
 *         return fixture;
 *     }
 * }
 * }</pre>
 *
 * <p>Each test is named after its clause ({@code required_T3_1_...}, {@code optional_...}) and its
 * display name carries the clause text. Required clauses cannot be switched off; optional ones are
 * skipped, with the reason, unless the fixture declares their {@link Capability}.
 *
 * <p>Runs on the JUnit test thread; everything a test makes is closed after it, newest first.
 */
@Timeout(300)
public abstract class TransportTck extends KitBase implements ProviderClauses, ConnectionClauses, StreamClauses, StreamEdgeClauses,
        FlowControlClauses, LifecycleClauses, WireFormatClauses, DispatchClauses, ChannelClauses, ReconnectClauses, MalformedFrameClauses {
}
