package io.peat.transport.kwik.internal;

import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.time.Duration;
import tech.kwik.core.server.ServerConnector;

/**
 * Closes Kwik's server connector with a bounded wait for its connections.
 *
 * <p>Kwik 0.10.8's {@code ServerConnector.close()} waits up to 30 s ({@code DEFAULT_CLOSE_TIMEOUT_IN_SECONDS})
 * until its connection registry is empty. An Initial packet that cannot be decrypted (a stray or forged datagram,
 * or one from a client whose keys no longer match) leaves a {@code ServerConnectionCandidate} in that registry
 * that is only removed by a 30 s cleanup task, so closing the endpoint hung for up to 30 s. The connections this
 * transport knows of are already closed when this runs; what is left gets {@code drain} to go away, then the socket
 * and Kwik's threads are shut down anyway: the same steps as Kwik's own close, through its protected
 * {@code close(Duration)} in the non-exported package {@code tech.kwik.core.server.impl}.
 *
 * <p>Needs that package open to this module: automatic on the class path; on the module path run with
 * {@code --add-opens tech.kwik.core/tech.kwik.core.server.impl=io.peat.transport.kwik}. Otherwise it logs once at
 * INFO and calls the plain {@code close()} (a close may then take up to 30 s). Stateless; called on the
 * endpoint's close thread.
 */
final class KwikServerClose {

    private static final Class<?> IMPL;
    private static final MethodHandle CLOSE_WITHIN;
    static final boolean AVAILABLE;

    static {
        Class<?> impl = null;
        MethodHandle close = null;
        try {
            impl = Class.forName("tech.kwik.core.server.impl.ServerConnectorImpl", false, ServerConnector.class.getClassLoader());
            MethodHandles.Lookup l = MethodHandles.privateLookupIn(impl, MethodHandles.lookup());
            close = l.findVirtual(impl, "close", MethodType.methodType(void.class, Duration.class));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            KwikTransport.LOG.log(Level.INFO, "bounded close of Kwik's server connector unavailable (" + e + "); closing an"
                    + " endpoint may take up to 30 s. On the module path add --add-opens"
                    + " tech.kwik.core/tech.kwik.core.server.impl=io.peat.transport.kwik");
            impl = null;
            close = null;
        }
        IMPL = impl;
        CLOSE_WITHIN = close;
        AVAILABLE = close != null;
    }

    private KwikServerClose() {
    }

    /**
     * Closes the connector: refuses new connections, closes the open ones, waits at most {@code drain} for them to
     * go, then closes the socket and stops Kwik's threads.
     *
     * @param connector the connector
     * @param drain the longest wait for connections still in Kwik's registry
     */
    static void close(ServerConnector connector, Duration drain) {
        if (AVAILABLE && IMPL.isInstance(connector)) {
            try {
                CLOSE_WITHIN.invoke(connector, drain);
                return;
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException("closing Kwik's server connector failed", e);
            }
        }
        connector.close();
    }
}
