package io.peat.transport.kwik.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import tech.kwik.core.DatagramSocketFactory;
import tech.kwik.core.QuicClientConnection;

/**
 * The UDP socket of a Kwik dial: it holds back what it receives until Kwik's TLS engine has sent the ClientHello and
 * waits for the ServerHello.
 *
 * <p>Works around a race in agent15 3.1, the TLS engine of Kwik 0.10.8 (and the newest agent15 on Maven Central):
 * {@code TlsClientEngineImpl.startHandshake} hands the ClientHello to Kwik, whose sender thread puts it on the wire at
 * once, and only afterwards sets {@code status = WaitServerHello}; {@code received(ServerHello)} returns silently in any
 * other status. When the server's answer is processed before the dialing thread reaches that assignment (a fast server,
 * a descheduled thread), the ServerHello is dropped but acknowledged, so the server never sends it again: no handshake
 * keys are ever installed, every Handshake packet "cannot be decrypted", and the dial times out. Measured on 2 cores:
 * about 1 % of the dials from a listening Kwik endpoint to a Netty (quiche) server, which answers within 2 ms.
 * {@code KwikServerHelloRaceTest} reproduces it every time by holding the dialing thread at that point.
 *
 * <p>The gate reads the engine's private {@code status} (reflection on {@code QuicClientConnectionImpl.tlsEngine} and
 * {@code TlsClientEngineImpl.status}) and returns a received datagram to Kwik only once the status has left
 * {@code Start}, waiting at most the handshake timeout; after that it stays open and costs one volatile read per
 * datagram. On the module path it needs {@code --add-opens tech.kwik.core/tech.kwik.core.impl=io.peat.transport.kwik}
 * and {@code --add-opens tech.kwik.agent15/tech.kwik.agent15.engine.impl=io.peat.transport.kwik}; without them (or
 * with another Kwik version) {@link #AVAILABLE} is false, the gate is always open and the race is back.
 *
 * <p>Threads: {@link #watch} is called by the dialing thread before {@code connect()}; {@link #receive} by Kwik's
 * receiver thread only. A dial gets its sockets from {@link DialSockets}.
 */
final class KwikServerHelloGate extends DatagramSocket {

    private static final VarHandle TLS_ENGINE;
    private static final VarHandle STATUS;
    static final boolean AVAILABLE;

    static {
        VarHandle engine = null;
        VarHandle status = null;
        boolean ok = false;
        try {
            ClassLoader kwik = QuicClientConnection.class.getClassLoader();
            Class<?> connection = Class.forName("tech.kwik.core.impl.QuicClientConnectionImpl", false, kwik);
            Class<?> engineType = Class.forName("tech.kwik.agent15.engine.TlsClientEngine", false, kwik);
            Class<?> engineImpl = Class.forName("tech.kwik.agent15.engine.impl.TlsClientEngineImpl", false, kwik);
            Class<?> statusType = Class.forName("tech.kwik.agent15.engine.impl.TlsClientEngineImpl$Status", false, kwik);
            Module self = KwikServerHelloGate.class.getModule();
            self.addReads(connection.getModule()); // privateLookupIn needs readability (a no-op on the class path)
            self.addReads(engineImpl.getModule());
            engine = MethodHandles.privateLookupIn(connection, MethodHandles.lookup())
                    .findVarHandle(connection, "tlsEngine", engineType);
            status = MethodHandles.privateLookupIn(engineImpl, MethodHandles.lookup())
                    .findVarHandle(engineImpl, "status", statusType);
            ok = true;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            KwikTransport.LOG.log(Level.WARNING, "cannot guard Kwik dials against agent15's ServerHello race (" + e
                    + "); about 1 in 100 dials to a fast server may time out. On the module path add --add-opens"
                    + " tech.kwik.core/tech.kwik.core.impl=io.peat.transport.kwik and --add-opens"
                    + " tech.kwik.agent15/tech.kwik.agent15.engine.impl=io.peat.transport.kwik");
        }
        TLS_ENGINE = engine;
        STATUS = status;
        AVAILABLE = ok;
    }

    private final long holdNanos;
    /** The TLS engine of the dial, once {@link #watch} found it; written by the dialing thread. */
    private volatile Object engine;
    /** Set once the engine has left {@code Start} (or the hold timed out): from then on datagrams pass at once. */
    private volatile boolean open;

    /**
     * @param maxHold the longest a datagram is held (the handshake timeout: past it the dial has failed anyway)
     * @throws SocketException when no UDP socket can be bound
     */
    KwikServerHelloGate(Duration maxHold) throws SocketException {
        super();
        this.holdNanos = maxHold.toNanos();
        this.open = !AVAILABLE;
    }

    /** Starts watching the TLS engine of the connection this socket was made for; opens the gate if it cannot. */
    void watch(QuicClientConnection quic) {
        if (open) {
            return;
        }
        try {
            Object e = TLS_ENGINE.get(quic);
            if (e != null && STATUS.varType().isInstance(STATUS.getVolatile(e))) {
                engine = e;
                return;
            }
        } catch (RuntimeException | LinkageError e) {
            KwikTransport.LOG.log(Level.DEBUG, "cannot watch Kwik's TLS engine of " + quic, e);
        }
        open = true;
    }

    @Override
    public void receive(DatagramPacket p) throws IOException {
        super.receive(p);
        if (!open) {
            holdUntilHelloSent();
        }
    }

    private void holdUntilHelloSent() {
        long deadline = System.nanoTime() + holdNanos;
        while (!helloSent()) {
            if (System.nanoTime() - deadline > 0 || Thread.currentThread().isInterrupted()) {
                KwikTransport.LOG.log(Level.DEBUG, "Kwik's TLS engine did not send its ClientHello within "
                        + Duration.ofNanos(holdNanos).toMillis() + " ms; passing the datagram on");
                break;
            }
            LockSupport.parkNanos(50_000);
        }
        open = true;
    }

    private boolean helloSent() {
        Object e = engine;
        if (e == null) {
            return false; // watch() not called yet: connect() has not started, nothing could have been sent
        }
        Object status = STATUS.getVolatile(e);
        return !(status instanceof Enum<?> s && s.name().equals("Start"));
    }

    /**
     * The socket factory of one dial: the first socket Kwik asks for (in the builder, on the dialing thread) is a gate,
     * later ones (connection migration) are plain; each gets the given buffer sizes. Call {@link #watch} with the built
     * connection before {@code connect()}.
     */
    static final class DialSockets implements DatagramSocketFactory {
        private final Duration maxHold;
        private final int buffer;
        private volatile KwikServerHelloGate gate;

        /**
         * @param maxHold see {@link KwikServerHelloGate#KwikServerHelloGate(Duration)}
         * @param buffer the send and receive buffer asked of the OS, in bytes; 0 leaves the OS default
         */
        DialSockets(Duration maxHold, int buffer) {
            this.maxHold = maxHold;
            this.buffer = buffer;
        }

        @Override
        public DatagramSocket createSocket(InetAddress destination) throws SocketException {
            DatagramSocket s;
            if (gate == null) {
                gate = new KwikServerHelloGate(maxHold);
                s = gate;
            } else {
                s = new DatagramSocket();
            }
            if (buffer > 0) {
                try {
                    s.setReceiveBufferSize(buffer);
                    s.setSendBufferSize(buffer);
                } catch (SocketException e) {
                    s.close();
                    throw e;
                }
            }
            return s;
        }

        /** Lets the gate watch the dial's TLS engine; a no-op if Kwik has not asked for a socket. */
        void watch(QuicClientConnection quic) {
            KwikServerHelloGate g = gate;
            if (g != null) {
                g.watch(quic);
            }
        }
    }
}
