package io.peat.transport.kwik.internal;

import io.peat.quic.CertificatePinning;
import io.peat.quic.HostPort;
import io.peat.quic.IdentityExchange;
import io.peat.quic.NodeIdentity;
import io.peat.quic.PeerIds;
import io.peat.quic.QuicConstants;
import io.peat.spi.CloseReason;
import io.peat.spi.ConfigException;
import io.peat.spi.PeatException;
import io.peat.spi.PeerAddress;
import io.peat.spi.PeerConnection;
import io.peat.spi.PeerId;
import io.peat.spi.PeerIdentityException;
import io.peat.spi.SyncTransport;
import io.peat.spi.TransportConfig;
import io.peat.spi.TransportException;
import io.peat.spi.TransportListener;
import io.peat.spi.internal.CompletionCauses;
import io.peat.spi.internal.DaemonThreadFactory;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.X509TrustManager;
import tech.kwik.core.QuicClientConnection;
import tech.kwik.core.QuicConnection;
import tech.kwik.core.log.NullLogger;
import tech.kwik.core.server.ApplicationProtocolConnection;
import tech.kwik.core.server.ApplicationProtocolConnectionFactory;
import tech.kwik.core.server.ServerConnection;
import tech.kwik.core.server.ServerConnectionConfig;
import tech.kwik.core.server.ServerConnector;

/**
 * One endpoint of the Kwik transport. Threads: a bounded pool named {@code peat-kwik-<peer>-N} for blocking Kwik
 * calls (one worker per active stream direction, dials, hand-offs from Kwik's threads) and one timer thread for the
 * keep-alive and the stall watchdog; both end on close. Kwik runs its own threads per connection and server socket.
 */
public final class KwikTransport implements SyncTransport {

    static final System.Logger LOG = System.getLogger(KwikTransport.class.getName());

    static {
        KwikAssertions.disable(); // before this endpoint's first connection initializes Kwik's classes
    }

    private static final int MAX_THREADS = 1024;
    static final char[] KEY_PASSWORD = "peat".toCharArray();

    private final KwikSettings settings;
    private final NodeIdentity identity;
    private final TransportListener listener;
    private final ThreadPoolExecutor executor;
    private final ScheduledThreadPoolExecutor timer;
    private final Set<KwikConnection> connections = ConcurrentHashMap.newKeySet();
    /**
     * Dials in progress: the connection and the executor thread blocked in its {@code connect()}. Kwik's close of a
     * connecting connection does not wake that thread (it would wait out the handshake timeout), so closing the endpoint
     * interrupts it. Guarded by itself: a thread is interrupted only while registered, and clears the flag when it
     * leaves, so an interrupt never reaches a later task of the executor.
     */
    private final Map<QuicConnection, Thread> pending = new HashMap<>();
    private final AtomicReference<ServerConnector> server = new AtomicReference<>();
    private volatile PeerAddress localAddress;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile boolean closing;

    private KwikTransport(KwikSettings settings, TransportListener listener) {
        this.settings = settings;
        this.identity = settings.identity();
        this.listener = listener;
        String tag = "peat-kwik-" + identity.peerId().value().substring(0, Math.min(13, identity.peerId().value().length()));
        this.executor = new ThreadPoolExecutor(0, MAX_THREADS, 2, TimeUnit.SECONDS, new SynchronousQueue<>(),
                new DaemonThreadFactory(tag));
        this.timer = new ScheduledThreadPoolExecutor(1, r -> DaemonThreadFactory.newDaemonThread(tag + "-timer", r));
        timer.setRemoveOnCancelPolicy(true);
        long ka = settings.keepAlive().toMillis();
        timer.scheduleWithFixedDelay(this::keepAlive, ka, ka, TimeUnit.MILLISECONDS);
        long tick = Math.max(50, settings.stallNudge().toMillis() / 2);
        timer.scheduleWithFixedDelay(this::watchdog, tick, tick, TimeUnit.MILLISECONDS);
    }

    /**
     * @param config the endpoint's configuration
     * @param listener the endpoint's listener
     * @return a new endpoint, not listening
     * @throws ConfigException when a property is malformed
     */
    public static KwikTransport create(TransportConfig config, TransportListener listener) {
        java.util.Objects.requireNonNull(listener, "listener");
        return new KwikTransport(KwikSettings.from(config), listener);
    }

    TransportListener listener() {
        return listener;
    }

    ExecutorService datagramSink() {
        return executor;
    }

    boolean execute(Runnable r) {
        try {
            executor.execute(r);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    @Override
    public String name() {
        return "kwik";
    }

    @Override
    public PeerId localPeerId() {
        return identity.peerId();
    }

    @Override
    public Optional<PeerAddress> localAddress() {
        return Optional.ofNullable(localAddress);
    }

    // ---------------------------------------------------------------- listen

    @Override
    public CompletionStage<PeerAddress> listen(PeerAddress bindAddress) {
        if (closing) {
            return CompletableFuture.failedFuture(new IllegalStateException("the endpoint " + identity.peerId() + " is closed"));
        }
        InetSocketAddress at;
        try {
            at = HostPort.parse(bindAddress);
        } catch (ConfigException e) {
            return CompletableFuture.failedFuture(e);
        }
        synchronized (server) {
            if (server.get() != null) {
                return CompletableFuture.failedFuture(new IllegalStateException("the endpoint " + identity.peerId()
                        + " is already listening at " + localAddress));
            }
            DatagramSocket socket = null;
            try {
                socket = new DatagramSocket(null);
                socket.setReceiveBufferSize(settings.socketBuffer());
                socket.setSendBufferSize(settings.socketBuffer());
                socket.bind(at);
                ServerConnectionConfig cfg = ServerConnectionConfig.builder()
                        .maxIdleTimeout((int) settings.idleTimeout().toMillis())
                        .maxOpenPeerInitiatedBidirectionalStreams(1000)
                        .maxOpenPeerInitiatedUnidirectionalStreams(0)
                        .maxConnectionBufferSize(settings.connectionWindow())
                        .maxBidirectionalStreamBufferSize(settings.streamWindow())
                        .build();
                ServerConnector connector = ServerConnector.builder()
                        .withSocket(socket)
                        .withKeyStore(keyStore(identity), "node", KEY_PASSWORD, "secp256r1")
                        .withConfiguration(cfg)
                        .withLogger(new NullLogger())
                        .build();
                connector.registerApplicationProtocol(QuicConstants.ALPN, new Acceptor());
                connector.start();
                server.set(connector);
                String host = bindAddress.value().substring(0, bindAddress.value().lastIndexOf(':'));
                localAddress = PeerAddress.of(host + ":" + socket.getLocalPort());
                return CompletableFuture.completedFuture(localAddress);
            } catch (Exception e) {
                if (socket != null) {
                    socket.close();
                }
                return CompletableFuture.failedFuture(new TransportException("cannot listen at " + bindAddress + ": " + e, e));
            }
        }
    }

    /** The node's key and certificate as Kwik's server takes them: alias {@code node}, password {@link #KEY_PASSWORD}. */
    static KeyStore keyStore(NodeIdentity identity) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("node", identity.privateKey(), KEY_PASSWORD, new Certificate[] {identity.certificate()});
        return ks;
    }

    /** Kwik calls this once the TLS handshake with ALPN {@code cap/automerge/1} is done. */
    private final class Acceptor implements ApplicationProtocolConnectionFactory {
        @Override
        public ApplicationProtocolConnection createConnection(String protocol, QuicConnection quic) {
            if (closing) {
                quic.close(CloseReason.NORMAL, "endpoint closed");
                return null;
            }
            KwikConnection c = new KwikConnection(KwikTransport.this, quic, remoteOf(quic), false, PeerId.of("unverified"));
            connections.add(c);
            c.onIdentityStream(s -> acceptIdentity(c, s));
            c.attach();
            ScheduledFutureHolder timeout = new ScheduledFutureHolder();
            timeout.set(timer.schedule(() -> {
                if (c.isOpen() && c.remotePeerId().value().equals("unverified")) {
                    c.close(IdentityExchange.RESET_CODE, "identity not proven within " + settings.handshakeTimeout().toMillis() + " ms");
                }
            }, settings.handshakeTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS));
            // Kwik replaces the connection's stream callback with this object's once we return.
            return new ApplicationProtocolConnection() {
                @Override
                public void acceptPeerInitiatedStream(tech.kwik.core.QuicStream stream) {
                    c.onPeerStream(stream);
                }
            };
        }

        @Override
        public int maxConcurrentPeerInitiatedBidirectionalStreams() {
            return 1000;
        }

        @Override
        public int maxConcurrentPeerInitiatedUnidirectionalStreams() {
            return 0;
        }

        @Override
        public long maxBidirectionalStreamReceiverBufferSize() {
            return settings.streamWindow();
        }

        @Override
        public int minBidirectionalStreamReceiverBufferSize() {
            return Math.min(settings.streamWindow(), 5 * 1024);
        }

        @Override
        public boolean enableDatagramExtension() {
            return true;
        }
    }

    private static final class ScheduledFutureHolder {
        volatile java.util.concurrent.ScheduledFuture<?> f;

        void set(java.util.concurrent.ScheduledFuture<?> f) {
            this.f = f;
        }
    }

    private void acceptIdentity(KwikConnection c, KwikStream s) {
        IdentityExchange.accept(s, identity, settings.handshakeTimeout()).whenComplete((peer, err) -> {
            if (err != null) {
                LOG.log(Level.DEBUG, "identity exchange with " + c.remoteAddress() + " failed", err);
                c.close(IdentityExchange.RESET_CODE, "identity not proven");
                return;
            }
            execute(() -> {
                c.setRemotePeerId(peer);
                if (!c.isOpen()) {
                    return;
                }
                c.reportConnection();
                c.releaseHeldStreams();
            });
        });
    }

    /** The dialing thread leaves {@link #pending}, and drops an interrupt that closing may have sent it meanwhile. */
    private void leavePending(QuicConnection quic) {
        synchronized (pending) {
            pending.remove(quic);
            Thread.interrupted();
        }
    }

    private static PeerAddress remoteOf(QuicConnection quic) {
        try {
            Object a = quic.getClass().getMethod("getInitialRemoteAddress").invoke(quic);
            if (a instanceof InetSocketAddress isa) {
                return HostPort.format(null, isa);
            }
        } catch (ReflectiveOperationException | RuntimeException ignored) {
            // fall back to the address without port
        }
        if (quic instanceof ServerConnection sc) {
            return PeerAddress.of(hostLiteral(sc.getInitialClientAddress()) + ":0");
        }
        return PeerAddress.of("unknown:0");
    }

    // ---------------------------------------------------------------- connect

    @Override
    public CompletionStage<PeerConnection> connect(PeerAddress address, PeerId expectedPeer) {
        java.util.Objects.requireNonNull(expectedPeer, "expectedPeer");
        if (closing) {
            return CompletableFuture.failedFuture(new TransportException("cannot connect to " + address + ": the endpoint "
                    + identity.peerId() + " is closed"));
        }
        InetSocketAddress to;
        try {
            to = HostPort.parse(address);
        } catch (ConfigException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<PeerConnection> result = new CompletableFuture<>();
        if (!execute(() -> dial(address, to, expectedPeer, result))) {
            result.completeExceptionally(new TransportException("cannot connect to " + address + ": the endpoint is closing"));
        }
        return result;
    }

    private void dial(PeerAddress address, InetSocketAddress to, PeerId expected, CompletableFuture<PeerConnection> result) {
        AtomicReference<X509Certificate[]> presented = new AtomicReference<>();
        X509TrustManager pin = new PinningTrustManager(presented, expected);
        KwikServerHelloGate.DialSockets sockets = new KwikServerHelloGate.DialSockets(settings.handshakeTimeout(),
                settings.socketBuffer());
        QuicClientConnection quic;
        try {
            // The server name is the peer id: Kwik's host name check then compares it with the certificate's CN
            // (= peer id), and the IP literal goes to proxy(), which Kwik does not check against the certificate.
            quic = QuicClientConnection.newBuilder()
                    .host(expected.value())
                    .proxy(hostLiteral(to.getAddress()))
                    .port(to.getPort())
                    .applicationProtocol(QuicConstants.ALPN)
                    .version(QuicConnection.QuicVersion.V1)
                    .customTrustManager(pin)
                    .connectTimeout(settings.handshakeTimeout())
                    .maxIdleTimeout(settings.idleTimeout())
                    .defaultStreamReceiveBufferSize((long) settings.streamWindow())
                    .maxOpenPeerInitiatedBidirectionalStreams(1000)
                    .maxOpenPeerInitiatedUnidirectionalStreams(0)
                    .enableDatagramExtension()
                    .socketFactory(sockets)
                    .logger(new NullLogger())
                    .build();
            sockets.watch(quic);
        } catch (SocketException | UnknownHostException | RuntimeException e) {
            result.completeExceptionally(new TransportException("cannot connect to " + address + ": " + e, e));
            return;
        }
        synchronized (pending) {
            pending.put(quic, Thread.currentThread());
        }
        try {
            if (closing) {
                throw new IOException("the endpoint is closing");
            }
            quic.connect();
        } catch (IOException | RuntimeException e) {
            leavePending(quic);
            safeClose(quic);
            if (closing) {
                result.completeExceptionally(new TransportException("cannot connect to " + address + ": the endpoint closed"
                        + " while connecting"));
                return;
            }
            X509Certificate[] chain = presented.get();
            if (chain != null && chain.length > 0) {
                PeerId actual = null;
                try {
                    actual = PeerIds.of(chain[0]);
                } catch (RuntimeException ignored) {
                    // not P-256
                }
                if (!expected.equals(actual)) {
                    result.completeExceptionally(new PeerIdentityException(address, expected, actual));
                    return;
                }
            }
            result.completeExceptionally(new TransportException("cannot connect to " + address + " (expected peer " + expected
                    + "): " + describe(e), e));
            return;
        }
        leavePending(quic);
        KwikConnection c;
        try {
            List<X509Certificate> chain = quic.getServerCertificateChain();
            CertificatePinning.verifyPinned(address, expected, chain == null ? null : chain.toArray(new Certificate[0]));
            c = new KwikConnection(this, quic, address, true, expected);
            connections.add(c);
            c.attach();
            if (closing) {
                c.close(CloseReason.NORMAL, "endpoint closed");
                throw new TransportException("cannot connect to " + address + ": the endpoint is closing");
            }
        } catch (RuntimeException e) {
            safeClose(quic);
            result.completeExceptionally(e);
            return;
        }
        KwikStream s;
        try {
            s = c.openStreamNow();
        } catch (IOException | RuntimeException e) {
            c.close(IdentityExchange.RESET_CODE, "cannot open the identity stream");
            result.completeExceptionally(new TransportException("cannot connect to " + address + ": " + e, e));
            return;
        }
        IdentityExchange.dial(s, identity, expected, settings.handshakeTimeout()).whenComplete((v, err) -> {
            c.streamDone(s);
            if (err != null) {
                Throwable cause = CompletionCauses.unwrap(err);
                c.close(IdentityExchange.RESET_CODE, "identity exchange failed");
                result.completeExceptionally(cause instanceof TransportException ? cause
                        : new TransportException("identity exchange with " + expected + " at " + address + " failed: " + cause, cause));
            } else {
                // Streams the acceptor opens are reported once the dial completes (none can come earlier).
                if (!result.complete(c)) {
                    c.close(CloseReason.NORMAL, "dial abandoned");
                }
                execute(c::releaseHeldStreams);
            }
        });
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        // TLS alert 120 (no_application_protocol): Kwik reports it as "TLS error 120: unsupported application protocol"
        if (m != null && (m.contains("no_application_protocol") || m.contains("TLS error 120"))) {
            return "the peer does not speak ALPN " + QuicConstants.ALPN + ": it is not a peat node, or one of an"
                    + " incompatible version (" + m + ")";
        }
        if (m != null && m.contains("timed out")) {
            return "no QUIC answer (nothing listening, or unreachable): " + m;
        }
        return String.valueOf(m != null ? m : e.toString());
    }

    /** Accepts exactly one self-signed P-256 certificate and pins it to the dialed peer id; records what it saw. */
    private static final class PinningTrustManager implements X509TrustManager {
        private final AtomicReference<X509Certificate[]> presented;
        private final PeerId expected;

        PinningTrustManager(AtomicReference<X509Certificate[]> presented, PeerId expected) {
            this.presented = presented;
            this.expected = expected;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            CertificatePinning.checkSelfSignedP256(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            presented.set(chain);
            PeerId actual = CertificatePinning.checkSelfSignedP256(chain);
            if (!actual.equals(expected)) {
                throw new CertificateException("the server is " + actual + ", expected " + expected);
            }
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    // ---------------------------------------------------------------- timers

    private void keepAlive() {
        for (KwikConnection c : connections) {
            try {
                if (c.takeStreamActivity()) {
                    continue; // stream bytes and their ACKs keep both idle timers fresh this interval
                }
                QuicConnection q = c.quic();
                if (c.isOpen() && q.isDatagramExtensionEnabled() && q.canSendDatagram()) {
                    q.sendDatagram(new byte[] {0});
                }
            } catch (RuntimeException e) {
                LOG.log(Level.TRACE, "keep-alive to " + c + " failed", e);
            }
        }
    }

    private void watchdog() {
        long now = System.nanoTime();
        long nudge = settings.stallNudge().toNanos();
        long stall = settings.stallTimeout().toNanos();
        for (KwikConnection c : connections) {
            for (KwikStream s : c.streams()) {
                try {
                    s.checkStall(now, nudge, stall, settings.sendRepair());
                } catch (RuntimeException e) {
                    LOG.log(Level.DEBUG, "stall check of " + s + " failed", e);
                }
            }
            for (KwikStream s : c.draining()) {
                try {
                    if (!s.checkDrain(now, settings.sendRepair())) {
                        c.drained(s);
                    }
                } catch (RuntimeException e) {
                    c.drained(s);
                }
            }
        }
    }

    void connectionClosed(KwikConnection c) {
        connections.remove(c);
    }

    // ---------------------------------------------------------------- close

    /** How long closing waits for Kwik's server-side connections to go after they were closed (KwikServerClose). */
    static final Duration SERVER_DRAIN = Duration.ofSeconds(1);

    /** The thread that runs {@link #doClose}, for the diagnosis when it overruns; set once, under this. */
    private volatile Thread closer;

    @Override
    public CompletionStage<Void> closeAsync() {
        synchronized (this) {
            if (closing) {
                return closed;
            }
            closing = true;
        }
        Thread t = DaemonThreadFactory.newDaemonThread("peat-kwik-close-" + identity.peerId().value().substring(5, 13), this::doClose);
        closer = t;
        t.start();
        return closed;
    }

    private void doClose() {
        try {
            for (KwikConnection c : List.copyOf(connections)) {
                c.close(CloseReason.NORMAL, "endpoint closed");
            }
            synchronized (pending) {
                pending.forEach((q, dialer) -> {
                    safeClose(q);
                    dialer.interrupt(); // Kwik's connect() waits out the handshake timeout otherwise
                });
            }
            ServerConnector s = server.getAndSet(null);
            if (s != null) {
                try {
                    KwikServerClose.close(s, SERVER_DRAIN);
                } catch (RuntimeException e) {
                    LOG.log(Level.DEBUG, "closing Kwik's server connector failed", e);
                }
            }
            timer.shutdownNow();
            executor.shutdown();
            if (!executor.awaitTermination(3, TimeUnit.SECONDS)) {
                executor.shutdownNow();
                executor.awaitTermination(2, TimeUnit.SECONDS);
            }
            timer.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "closing the Kwik endpoint " + identity.peerId() + " failed", e);
        } finally {
            closed.complete(null);
        }
    }

    @Override
    public void close() {
        try {
            closeAsync().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            Thread t = closer;
            PeatException where = new PeatException("the closing thread " + (t == null ? "" : t.getName()) + " is here");
            if (t != null) {
                where.setStackTrace(t.getStackTrace());
            }
            LOG.log(Level.WARNING, "the Kwik endpoint " + identity.peerId() + " did not close within 10 s", where);
        }
    }

    private static void safeClose(QuicConnection q) {
        try {
            q.close();
        } catch (RuntimeException ignored) {
            // best effort
        }
    }

    // ---------------------------------------------------------------- addresses

    private static String hostLiteral(InetAddress a) {
        return a.getHostAddress();
    }

    @Override
    public String toString() {
        return "KwikTransport[" + identity.peerId() + (localAddress != null ? " at " + localAddress : "") + "]";
    }

    Duration handshakeTimeout() {
        return settings.handshakeTimeout();
    }
}
