/**
 * Helpers shared by peat-java's own modules (the transports, peat-quic-common, peat-sync, the
 * conformance kit and the bench): one daemon thread factory and one way to see through the
 * wrappers of a failed future. Depends on the JDK only.
 *
 * <p><b>Not API.</b> This package is exported only so that peat-java's modules can share it; it may
 * change or go away in any release without notice. Code outside peat-java must not use it.
 */
package io.peat.spi.internal;
