package io.peat.transport.inmem;

import io.peat.spi.ByteStream;
import io.peat.spi.CloseReason;
import io.peat.spi.PeerAddress;
import io.peat.spi.PeerConnection;
import io.peat.spi.PeerId;
import io.peat.spi.SyncTransport;
import io.peat.spi.TransportException;
import io.peat.spi.TransportListener;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One endpoint on an {@link InMemoryNetwork}. Every method may be called from any thread and never
 * blocks, except {@link #close()}, which waits at most 10 seconds for the endpoint's threads to end.
 * Stages complete and listener calls run on the endpoint's own threads ({@code peat-inmem-<peer>-N}).
 */
final class InMemoryTransport implements SyncTransport {

    private static final System.Logger LOG = System.getLogger(InMemoryTransport.class.getName());
    /** Close code used when a listener callback throws. */
    static final long LISTENER_FAILED = 0x1;
    private static final int THREADS = 2;

    private final InMemoryNetwork network;
    private final PeerId localPeerId;
    private final long windowBytes;
    private final InMemoryConfig config;
    private final TransportListener listener;
    private final TransportThreads threads;
    /** Completions of listen, failed connects and closeAsync. */
    private final SerialExecutor control;
    /** Completed by the last pool thread once the pool has terminated. */
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    /** Open connection ends of this endpoint; concurrent, add-then-check-closed against close. */
    private final Set<InMemoryConnection> connections = ConcurrentHashMap.newKeySet();

    // Guarded by this.
    private boolean listenStarted;
    private PeerAddress boundAddress;
    private boolean closeStarted;
    /** Set under this by closeAsync; read anywhere. */
    private volatile boolean closed;

    InMemoryTransport(InMemoryNetwork network, InMemoryConfig config, TransportListener listener) {
        this.network = network;
        this.localPeerId = config.localPeerId();
        this.windowBytes = config.windowBytes();
        this.config = config;
        this.listener = listener;
        this.threads = TransportThreads.create(localPeerId.value(), THREADS, () -> terminated.complete(null));
        this.control = new SerialExecutor(threads);
    }

    /** @return {@code inmem}. Any thread. */
    @Override
    public String name() {
        return InMemoryTransportProvider.NAME;
    }

    /** @return the configured or generated peer id. Any thread. */
    @Override
    public PeerId localPeerId() {
        return localPeerId;
    }

    /**
     * Binds {@code bindAddress} (a name) on the network. Any thread.
     *
     * @return the address; exceptionally with {@link TransportException} when the name is in use or
     *     this endpoint is closed, {@link IllegalStateException} when already listening
     */
    @Override
    public CompletionStage<PeerAddress> listen(PeerAddress bindAddress) {
        Objects.requireNonNull(bindAddress, "bindAddress");
        CompletableFuture<PeerAddress> f = new CompletableFuture<>();
        Throwable error = null;
        synchronized (this) {
            if (closed) {
                error = closedError();
            } else if (listenStarted) {
                error = new IllegalStateException("in-memory endpoint " + localPeerId + " already listens"
                        + (boundAddress == null ? "" : " at " + boundAddress) + "; create another endpoint to listen elsewhere");
            } else {
                listenStarted = true;
            }
        }
        if (error == null) {
            if (network.bind(bindAddress, this)) {
                synchronized (this) {
                    boundAddress = bindAddress;
                }
            } else {
                synchronized (this) {
                    listenStarted = false;
                }
                error = closed ? closedError()
                        : new TransportException("address " + bindAddress + " is already in use on in-memory network '"
                                + network.name() + "'; choose another name");
            }
        }
        Throwable e = error;
        control.execute(() -> {
            if (e == null) {
                f.complete(bindAddress);
            } else {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    /** @return the bound name once {@link #listen} succeeded. Any thread. */
    @Override
    public synchronized Optional<PeerAddress> localAddress() {
        return Optional.ofNullable(boundAddress);
    }

    /**
     * Connects to the endpoint bound at {@code address}; it must be {@code expectedPeer}. Any thread.
     *
     * @return this side of the connection; exceptionally with {@link io.peat.spi.PeerIdentityException}
     *     when another peer is bound there (no connection is made), {@link TransportException} naming the
     *     address when nothing is bound there or this endpoint is closed
     */
    @Override
    public CompletionStage<PeerConnection> connect(PeerAddress address, PeerId expectedPeer) {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(expectedPeer, "expectedPeer");
        CompletableFuture<PeerConnection> f = new CompletableFuture<>();
        ConnectionCore core;
        try {
            if (closed) {
                throw closedError();
            }
            core = network.connect(this, address, expectedPeer);
        } catch (TransportException e) {
            control.execute(() -> f.completeExceptionally(e));
            return f;
        }
        Deferred out = new Deferred();
        InMemoryConnection acc = core.acceptor;
        out.run(acc.executor(), () -> acc.transport().fireOnConnection(acc));
        out.complete(core.dialer, f, core.dialer);
        out.kick();
        return f;
    }

    /**
     * Unbinds, closes every connection (peers see a close with byPeer=true; pending operations fail
     * with {@link io.peat.spi.ConnectionClosedException}) and stops the threads. Idempotent. Any thread.
     *
     * @return completes once every thread of this endpoint has ended; never exceptionally
     */
    @Override
    public CompletionStage<Void> closeAsync() {
        synchronized (this) {
            if (closeStarted) {
                return terminated.copy();
            }
            closeStarted = true;
            closed = true;
            boundAddress = null;
        }
        network.unbindAll(this);
        for (InMemoryConnection c : new ArrayList<>(connections)) {
            c.close(CloseReason.NORMAL, "endpoint " + localPeerId + " closed");
        }
        threads.shutdown();
        return terminated.copy();
    }

    /**
     * Closes as {@link #closeAsync()} and waits at most 10 seconds for the threads to end (not at
     * all when called from one of them). Any thread.
     */
    @Override
    public void close() {
        CompletableFuture<Void> done = closeAsync().toCompletableFuture();
        if (threads.isPoolThread()) {
            return;
        }
        try {
            done.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.log(Level.WARNING, "in-memory endpoint " + localPeerId + " did not stop its threads within 10 s", e);
        }
    }

    @Override
    public String toString() {
        return "InMemoryTransport[" + localPeerId + " on " + network.name() + "]";
    }

    // ---- package-private plumbing ----

    TransportThreads threads() {
        return threads;
    }

    InMemoryConfig config() {
        return config;
    }

    long windowBytes() {
        return windowBytes;
    }

    boolean isClosed() {
        return closed;
    }

    /** Registers a new connection end; false when this endpoint is closing. Any thread. */
    boolean register(InMemoryConnection c) {
        connections.add(c);
        if (closed) {
            connections.remove(c);
            return false;
        }
        return true;
    }

    /** Drops a closed connection end. Any thread, any lock held (the set is concurrent). */
    void forget(InMemoryConnection c) {
        connections.remove(c);
    }

    /** Calls {@link TransportListener#onConnection}; closes that connection if it throws. Endpoint thread. */
    void fireOnConnection(InMemoryConnection c) {
        try {
            listener.onConnection(c);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable t) {
            LOG.log(Level.WARNING, "listener of " + localPeerId + " threw from onConnection(" + c + "); closing that connection", t);
            c.close(LISTENER_FAILED, "listener failed: " + t);
        }
    }

    /** Calls {@link TransportListener#onStream}; resets that stream if it throws. Endpoint thread. */
    void fireOnStream(ByteStream s) {
        try {
            listener.onStream(s);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable t) {
            LOG.log(Level.WARNING, "listener of " + localPeerId + " threw from onStream(" + s + "); resetting that stream", t);
            s.reset(LISTENER_FAILED);
        }
    }

    /** Calls a tap; logs what it throws. Endpoint thread. */
    void invokeTap(StreamTap tap, long connectionId, long streamId, ByteBuffer bytes) {
        try {
            tap.onBytes(connectionId, streamId, bytes);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable t) {
            LOG.log(Level.WARNING, "stream tap " + tap + " threw; ignored", t);
        }
    }

    private TransportException closedError() {
        return new TransportException("in-memory endpoint " + localPeerId + " is closed");
    }
}
