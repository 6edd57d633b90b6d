package io.peat.transport.kwik.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
import tech.kwik.core.QuicConnection;

/**
 * Kwik's failing {@code assert} statements (KwikAssertions) stay off when the JVM runs with {@code -ea}, as this test
 * JVM does (Surefire's default).
 */
class KwikAssertionsTest {

    private static final String LOSS_DETECTOR = "tech.kwik.core.recovery.LossDetector";

    @Test
    void kwiksClassesRunWithoutAssertionsOnceTheTransportIsLoaded() throws Exception {
        assumeTrue(KwikAssertionsTest.class.desiredAssertionStatus(), "needs a JVM started with -ea");
        Class.forName(KwikTransport.class.getName(), true, KwikTransport.class.getClassLoader());
        assertFalse(lossDetector().desiredAssertionStatus(), LOSS_DETECTOR + " would run its failing asserts");
    }

    @Test
    void theKeepPropertyLeavesTheJvmsChoice() throws Exception {
        ClassLoader kwik = QuicConnection.class.getClassLoader();
        boolean before = lossDetector().desiredAssertionStatus();
        try {
            kwik.setPackageAssertionStatus(KwikAssertions.PACKAGE, true);
            System.setProperty(KwikAssertions.KEEP_PROPERTY, "true");
            KwikAssertions.disable();
            assertTrue(lossDetector().desiredAssertionStatus(), "-D" + KwikAssertions.KEEP_PROPERTY + "=true was ignored");
            System.clearProperty(KwikAssertions.KEEP_PROPERTY);
            KwikAssertions.disable();
            assertFalse(lossDetector().desiredAssertionStatus());
        } finally {
            System.clearProperty(KwikAssertions.KEEP_PROPERTY);
            kwik.setPackageAssertionStatus(KwikAssertions.PACKAGE, before); // as the other test finds it, whatever the order
        }
    }

    private static Class<?> lossDetector() throws ClassNotFoundException {
        return Class.forName(LOSS_DETECTOR, false, QuicConnection.class.getClassLoader());
    }
}
