package io.peat.transport.kwik.internal;

import java.lang.System.Logger.Level;
import tech.kwik.core.QuicConnection;

/**
 * Turns off Java assertions in Kwik's classes ({@code tech.kwik.core} and below) when the JVM runs with {@code -ea}, as
 * test runners do by default (Maven Surefire, Gradle).
 *
 * <p>Kwik 0.10.8 has {@code assert} statements that fail in normal operation, and the {@link AssertionError} kills the
 * connection's receiver thread: the connection then goes silent (the peer's probes are never answered, a dial never
 * gets its identity CHALLENGE) until the idle timeout. Seen here: {@code LossDetector.detectLostPackets} asserts a loss
 * delay above 0 ms, which is false while the smoothed and latest RTT both round to 0 ms (loopback, a LAN);
 * {@code LossDetector.onAckReceived} asserts a count of ack-eliciting packets in flight that Kwik's sender and receiver
 * threads update without a common lock. With assertions off (the JVM's default) both are harmless.
 *
 * <p>Uses {@link ClassLoader#setPackageAssertionStatus}, which affects only classes initialized afterwards: it runs when
 * {@link KwikTransport} is initialized, before the endpoint makes its first connection. An application that wants
 * Kwik's assertions anyway (to debug Kwik) sets the system property {@value #KEEP_PROPERTY} to {@code true}.
 */
final class KwikAssertions {

    /** The system property that keeps Kwik's assertions as the JVM's flags set them. */
    static final String KEEP_PROPERTY = "peat.kwik.keepAssertions";
    static final String PACKAGE = "tech.kwik.core";

    private KwikAssertions() {
    }

    static void disable() {
        if (Boolean.getBoolean(KEEP_PROPERTY)) {
            return;
        }
        ClassLoader kwik = QuicConnection.class.getClassLoader();
        if (kwik == null) {
            return; // on the boot class path: not settable
        }
        kwik.setPackageAssertionStatus(PACKAGE, false);
        KwikTransport.LOG.log(Level.DEBUG, "Java assertions turned off for " + PACKAGE + " (set -D" + KEEP_PROPERTY
                + "=true to keep them)");
    }
}
