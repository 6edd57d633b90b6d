package io.peat.tck.selftest.tcp;

import io.peat.spi.ByteStream;
import io.peat.spi.ConfigException;
import io.peat.spi.PeerAddress;
import io.peat.spi.PeerConnection;
import io.peat.spi.PeerId;
import io.peat.spi.SyncTransport;
import io.peat.spi.TransportException;
import io.peat.spi.TransportListener;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One endpoint of the plain-TCP transport: listens on a {@code host:port}, dials peers, one TCP
 * connection per {@link PeerConnection}.
 *
 * <p>Threads (all daemon, named {@code tcp-<peer id>-...}): one accepts, each connection has a
 * reader and a writer, and one event thread completes every stage and calls the listener, so
 * dependants never run on a thread that does socket I/O. {@link #close()} stops and joins them.
 */
final class TcpTransport implements SyncTransport {
    private static final System.Logger LOG = System.getLogger(TcpTransport.class.getName());
    private static final long CLOSE_GRACE_MILLIS = 1_000;
    private static final long CLOSE_WAIT_MILLIS = 9_000;

    private final PeerId localPeerId;
    private final TransportListener listener;
    private final Duration idleTimeout;
    private final ThreadPoolExecutor events;
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final Set<TcpConnection> open = ConcurrentHashMap.newKeySet();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicInteger threadNumbers = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CompletableFuture<Void> released = new CompletableFuture<>();
    private volatile ServerSocket server;
    private volatile PeerAddress bound;

    TcpTransport(PeerId localPeerId, Duration idleTimeout, TransportListener listener) {
        this.localPeerId = localPeerId;
        this.idleTimeout = idleTimeout;
        this.listener = listener;
        this.events = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "tcp-" + localPeerId + "-events");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public String name() {
        return TcpTransportProvider.NAME;
    }

    @Override
    public PeerId localPeerId() {
        return localPeerId;
    }

    @Override
    public synchronized CompletionStage<PeerAddress> listen(PeerAddress bindAddress) {
        if (server != null) {
            return CompletableFuture.failedFuture(new IllegalStateException(localPeerId + " already listens at " + bound));
        }
        if (closed.get()) {
            return CompletableFuture.failedFuture(new TransportException("cannot listen at " + bindAddress + ": endpoint "
                    + localPeerId + " is closed"));
        }
        try {
            InetSocketAddress at = HostPort.parse(bindAddress);
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(at, 50);
            String host = at.getAddress().isAnyLocalAddress() ? "127.0.0.1" : at.getHostString();
            server = s;
            bound = HostPort.format(host, s.getLocalPort());
            spawn("accept", () -> acceptLoop(s));
            return CompletableFuture.completedFuture(bound);
        } catch (ConfigException e) {
            return CompletableFuture.failedFuture(e);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(new TransportException("cannot listen at " + bindAddress + ": " + e.getMessage(), e));
        }
    }

    @Override
    public Optional<PeerAddress> localAddress() {
        return Optional.ofNullable(bound);
    }

    @Override
    public CompletionStage<PeerConnection> connect(PeerAddress address, PeerId expectedPeer) {
        if (closed.get()) {
            return CompletableFuture.failedFuture(new TransportException("cannot connect to " + address + ": endpoint "
                    + localPeerId + " is closed"));
        }
        InetSocketAddress target;
        try {
            target = HostPort.parse(address);
        } catch (ConfigException e) {
            return CompletableFuture.failedFuture(new TransportException("cannot connect to " + address + ": " + e.getMessage(), e));
        }
        CompletableFuture<PeerConnection> dialed = new CompletableFuture<>();
        spawn("dial-" + expectedPeer, () -> Handshake.dial(this, address, target, expectedPeer, dialed));
        return dialed;
    }

    @Override
    public CompletionStage<Void> closeAsync() {
        if (!closed.compareAndSet(false, true)) {
            return released;
        }
        ServerSocket s;
        synchronized (this) {
            s = server;
        }
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        open.forEach(c -> c.close(0, "endpoint " + localPeerId + " closed"));
        Thread closer = new Thread(this::release, "tcp-" + localPeerId + "-closer");
        closer.setDaemon(true);
        closer.start();
        return released;
    }

    @Override
    public void close() {
        try {
            closeAsync().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "closing tcp endpoint " + localPeerId + " took over 10 s: " + e);
        }
    }

    /** On the closer thread: lets connections end gracefully for a moment, then drops every socket and joins every thread. */
    private void release() {
        long graceEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_GRACE_MILLIS);
        joinAll(graceEnd);
        sockets.forEach(TcpTransport::closeQuietly);
        joinAll(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MILLIS));
        events.shutdown();
        try {
            events.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        released.complete(null);
    }

    private void joinAll(long deadlineNanos) {
        for (Thread t : threads) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
            if (left <= 0) {
                return;
            }
            try {
                t.join(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void acceptLoop(ServerSocket s) {
        while (!closed.get()) {
            Socket accepted;
            try {
                accepted = s.accept();
            } catch (IOException e) {
                if (!closed.get()) {
                    LOG.log(System.Logger.Level.WARNING, "tcp endpoint " + localPeerId + " stopped accepting: " + e);
                }
                return;
            }
            spawn("conn-in", () -> Handshake.accept(this, accepted));
        }
    }

    Duration idleTimeout() {
        return idleTimeout;
    }

    /** Starts a daemon thread of this endpoint, named {@code tcp-<peer>-<what>-<n>}, that {@link #close()} joins. */
    void spawn(String what, Runnable body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } finally {
                threads.remove(Thread.currentThread());
            }
        }, "tcp-" + localPeerId + "-" + what + "-" + threadNumbers.incrementAndGet());
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    /** Runs {@code r} on the event thread (inline once the endpoint has released it). */
    void deliver(Runnable r) {
        try {
            events.execute(r);
        } catch (RejectedExecutionException e) {
            r.run();
        }
    }

    void track(Socket s) {
        sockets.add(s);
        if (closed.get()) {
            closeQuietly(s);
        }
    }

    void untrack(Socket s) {
        sockets.remove(s);
        closeQuietly(s);
    }

    /** @return false (and the connection closed) when the endpoint closed meanwhile */
    boolean register(TcpConnection c) {
        open.add(c);
        if (closed.get()) {
            c.close(0, "endpoint " + localPeerId + " closed");
            return false;
        }
        return true;
    }

    void forget(TcpConnection c) {
        open.remove(c);
    }

    void tellConnection(TcpConnection c) {
        tell("onConnection", c, listener::onConnection);
    }

    void tellStream(ByteStream s) {
        tell("onStream", s, listener::onStream);
    }

    private <T> void tell(String what, T arg, Consumer<T> call) {
        deliver(() -> {
            try {
                call.accept(arg);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "the listener of tcp endpoint " + localPeerId + " threw from " + what + "("
                        + arg + "); it goes on: " + e, e);
            }
        });
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public String toString() {
        return "TcpTransport[" + localPeerId + (bound == null ? "" : " at " + bound) + "]";
    }
}
