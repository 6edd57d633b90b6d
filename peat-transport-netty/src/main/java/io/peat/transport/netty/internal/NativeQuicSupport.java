package io.peat.transport.netty.internal;

import io.netty.handler.codec.quic.Quic;
import io.peat.spi.TransportException;
import java.util.Locale;

/**
 * Whether Netty's native QUIC library (quiche) loads here, and the message that says what to add
 * when it does not. Stateless; any thread.
 */
public final class NativeQuicSupport {
    /** The Netty version whose native jars this module declares. */
    static final String NETTY_VERSION = "4.2.18.Final";

    private NativeQuicSupport() {
    }

    /** @return true when the native library loaded; never throws */
    public static boolean isAvailable() {
        try {
            return Quic.isAvailable();
        } catch (LinkageError | RuntimeException e) {
            return false;
        }
    }

    /** @throws TransportException naming the platform, the classifier to add and the cause when unavailable */
    public static void ensureAvailable() {
        if (isAvailable()) {
            return;
        }
        Throwable cause = cause();
        throw new TransportException(unavailableMessage(System.getProperty("os.name", "?"), System.getProperty("os.arch", "?"),
                cause), cause);
    }

    /** @return the same message as {@link #ensureAvailable()} throws, or empty when the library loaded; never throws */
    public static java.util.Optional<String> unavailabilityReason() {
        if (isAvailable()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(unavailableMessage(System.getProperty("os.name", "?"), System.getProperty("os.arch", "?"),
                cause()));
    }

    private static Throwable cause() {
        try {
            return Quic.unavailabilityCause();
        } catch (LinkageError | RuntimeException e) {
            return e;
        }
    }

    /**
     * @param osName the {@code os.name} system property
     * @param osArch the {@code os.arch} system property
     * @param cause why the library did not load (may be null)
     * @return the message of the error for a platform without a native QUIC library
     */
    public static String unavailableMessage(String osName, String osArch, Throwable cause) {
        String classifier = classifier(osName, osArch);
        String add = classifier == null
                ? "Netty publishes native QUIC jars only for linux-x86_64, linux-aarch_64, osx-x86_64, osx-aarch_64 and"
                        + " windows-x86_64; use another transport here"
                : "add io.netty:netty-codec-native-quic:" + NETTY_VERSION + ":" + classifier + " to the class path";
        return "sync transport 'netty' cannot run on " + osName + "/" + osArch + ": Netty's native QUIC library did not load ("
                + (cause == null ? "no cause given" : cause.toString()) + "); " + add;
    }

    /**
     * @param osName the {@code os.name} system property
     * @param osArch the {@code os.arch} system property
     * @return the classifier of {@code netty-codec-native-quic} for that platform, or null when there is none
     */
    public static String classifier(String osName, String osArch) {
        String os = osName.toLowerCase(Locale.ROOT);
        String arch = osArch.toLowerCase(Locale.ROOT);
        String o = os.startsWith("linux") ? "linux" : os.startsWith("mac") || os.startsWith("darwin") ? "osx"
                : os.startsWith("windows") ? "windows" : null;
        String a = arch.equals("amd64") || arch.equals("x86_64") || arch.equals("x64") ? "x86_64"
                : arch.equals("aarch64") || arch.equals("arm64") ? "aarch_64" : null;
        if (o == null || a == null || (o.equals("windows") && a.equals("aarch_64"))) {
            return null;
        }
        return o + "-" + a;
    }
}
