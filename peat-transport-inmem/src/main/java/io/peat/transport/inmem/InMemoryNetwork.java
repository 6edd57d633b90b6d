package io.peat.transport.inmem;

import io.peat.spi.PeerAddress;
import io.peat.spi.PeerIdentityException;
import io.peat.spi.PeerId;
import io.peat.spi.TransportException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-process network that in-memory endpoints join by name (transport property
 * {@code inmem.network}, default {@value #DEFAULT_NAME}). Endpoints bind names; a dial reaches the
 * endpoint bound at a name.
 *
 * <p>It is also the fault injector for tests: it can shape the bytes flowing from one peer to
 * another ({@link #shape}), kill connections ({@link #killConnections},
 * {@link #killConnectionsAfterBytes}), reset streams ({@link #resetStreams},
 * {@link #resetStreamsAfterBytes}) and observe delivered bytes ({@link #tap}). Each of these
 * applies to the one-way link between two peer ids, across every stream of every connection
 * between them, now and later.
 *
 * <p>Thread-safe: every method may be called from any thread and returns without waiting for
 * anything but short internal locks. Faults take effect before the method returns; the resulting
 * stage completions run on the endpoints' threads.
 */
public final class InMemoryNetwork {

    /** The network endpoints join when {@code inmem.network} is not set. */
    public static final String DEFAULT_NAME = "default";
    /** The error code of streams reset by the network ({@link #resetStreams}, {@link #resetStreamsAfterBytes}). */
    public static final long NETWORK_RESET_CODE = 0xDEAD;

    private static final ConcurrentHashMap<String, InMemoryNetwork> NETWORKS = new ConcurrentHashMap<>();

    private record LinkKey(PeerId from, PeerId to) {
    }

    private final String name;
    /** Name to endpoint. Guarded by itself; connects hold it while checking and registering. */
    private final Map<String, InMemoryTransport> bindings = new HashMap<>();
    private final ConcurrentHashMap<LinkKey, Link> links = new ConcurrentHashMap<>();
    /** Open connections; concurrent, removed by the connection when it closes. */
    private final Set<ConnectionCore> connections = ConcurrentHashMap.newKeySet();
    private final AtomicLong nextConnectionId = new AtomicLong(1);
    /** Dial attempts per address (bound or not), and streams opened per (opener, peer): what taps cannot see. */
    private final ConcurrentHashMap<String, AtomicLong> dials = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<LinkKey, AtomicLong> streamsOpened = new ConcurrentHashMap<>();

    private InMemoryNetwork(String name) {
        this.name = name;
    }

    /**
     * Returns the network of that name, creating it on first use. Any thread.
     *
     * @param name the network's name, not blank
     * @return the network; the same instance for the same name until {@link #remove} drops it
     * @throws IllegalArgumentException when the name is blank
     */
    public static InMemoryNetwork named(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("in-memory network name must not be blank");
        }
        return NETWORKS.computeIfAbsent(name, InMemoryNetwork::new);
    }

    /**
     * Drops a network from the registry, so that the next {@link #named} call with that name
     * creates a fresh one. Endpoints already on the dropped network keep working on it. Any thread.
     *
     * @param name the network's name
     * @return true when a network of that name existed
     */
    public static boolean remove(String name) {
        return NETWORKS.remove(name) != null;
    }

    /** @return the network's name. Any thread. */
    public String name() {
        return name;
    }

    /** @return the names currently bound, as addresses (a snapshot). Any thread. */
    public Set<PeerAddress> boundAddresses() {
        synchronized (bindings) {
            Set<PeerAddress> s = new HashSet<>();
            for (String n : bindings.keySet()) {
                s.add(PeerAddress.of(n));
            }
            return Set.copyOf(s);
        }
    }

    /** @return the peer ids of the endpoints currently listening (a snapshot). Any thread. */
    public Set<PeerId> boundPeers() {
        synchronized (bindings) {
            Set<PeerId> s = new HashSet<>();
            for (InMemoryTransport t : bindings.values()) {
                s.add(t.localPeerId());
            }
            return Set.copyOf(s);
        }
    }

    /**
     * @param a one peer
     * @param b the other peer
     * @return how many open connections join {@code a} and {@code b}, dialed either way. Any thread.
     */
    public int openConnections(PeerId a, PeerId b) {
        int n = 0;
        for (ConnectionCore c : connections) {
            if (c.joins(a, b) && !c.isClosed()) {
                n++;
            }
        }
        return n;
    }

    /**
     * @param address an address
     * @return how many times an endpoint of this network dialed it so far, successful or not (a tap
     *     sees only bytes delivered; a dial to a closed node delivers none). Any thread.
     */
    public long dialsTo(PeerAddress address) {
        AtomicLong n = dials.get(address.value());
        return n == null ? 0 : n.get();
    }

    /**
     * @param from the peer that opened the streams
     * @param to the peer they lead to
     * @return how many streams {@code from} opened toward {@code to} so far, on every connection,
     *     whether or not a byte was written on them. Any thread.
     */
    public long streamsOpened(PeerId from, PeerId to) {
        AtomicLong n = streamsOpened.get(new LinkKey(from, to));
        return n == null ? 0 : n.get();
    }

    void countStreamOpened(PeerId from, PeerId to) {
        streamsOpened.computeIfAbsent(new LinkKey(from, to), k -> new AtomicLong()).incrementAndGet();
    }

    /**
     * Shapes every byte that flows from {@code from} to {@code to} from now on (on every stream of
     * every connection between them): a token bucket of {@code burstBytes} refilled at
     * {@code bytesPerSecond} paces them, and each chunk reaches the receiver no earlier than
     * {@code oneWayDelay} after it was sent. Order per stream is kept. Replaces any earlier shape of
     * that link. Any thread.
     *
     * @param from the sending peer
     * @param to the receiving peer
     * @param shape the shape
     */
    public void shape(PeerId from, PeerId to, LinkShape shape) {
        link(from, to).shape(Objects.requireNonNull(shape, "shape"));
    }

    /**
     * Removes the shape of the link from {@code from} to {@code to}; chunks already in flight keep
     * their delivery times. Any thread.
     *
     * @param from the sending peer
     * @param to the receiving peer
     */
    public void clearShape(PeerId from, PeerId to) {
        link(from, to).shape(null);
    }

    /**
     * Kills every open connection between {@code a} and {@code b} now, as a network loss: both
     * sides' {@code closeFuture} complete with {@code CloseReason(LOST, "killed by InMemoryNetwork",
     * false)}, pending reads and writes fail with {@link io.peat.spi.ConnectionClosedException},
     * bytes not yet delivered are lost and no FIN is delivered. Bytes already delivered stay
     * readable; reads fail after them. Any thread.
     *
     * @param a one peer
     * @param b the other peer
     */
    public void killConnections(PeerId a, PeerId b) {
        for (ConnectionCore c : new ArrayList<>(connections)) {
            if (c.joins(a, b)) {
                c.kill();
            }
        }
    }

    /**
     * Silences every open connection between {@code a} and {@code b} now, as a pulled cable: from now
     * on nothing is delivered on them either way and neither side is told; writes fill the
     * flow-control window, then wait. Each connection closes as lost (code {@code LOST}, "idle
     * timeout") once the shorter idle timeout of its two endpoints ({@code inmem.idleTimeout},
     * default 5 s) has passed, never when both are 0. Connections made later are not affected. Any
     * thread.
     *
     * @param a one peer
     * @param b the other peer
     */
    public void silenceConnections(PeerId a, PeerId b) {
        for (ConnectionCore c : new ArrayList<>(connections)) {
            if (c.joins(a, b)) {
                c.silence();
            }
        }
    }

    /**
     * Arms a one-shot fault: once exactly {@code n} more bytes (counted over every stream of every
     * connection) have been delivered from {@code from} to {@code to}, the connection that carried
     * the {@code n}-th byte is killed as by {@link #killConnections}, and the rest of that chunk is
     * lost. With {@code n == 0} the next connection to deliver a byte on that link is killed before
     * delivering it. Replaces an earlier armed kill of that link. Any thread.
     *
     * @param from the sending peer
     * @param to the receiving peer
     * @param n the bytes to let through first, not negative
     * @throws IllegalArgumentException when {@code n} is negative
     */
    public void killConnectionsAfterBytes(PeerId from, PeerId to, long n) {
        requireNotNegative(n);
        link(from, to).killAfter(n);
    }

    /**
     * Resets every open stream between {@code a} and {@code b} now, on behalf of the network: both
     * sides see {@link io.peat.spi.StreamResetException} with byPeer=true and error code
     * {@value #NETWORK_RESET_CODE} (after any bytes already delivered to them); the connections
     * stay up. Any thread.
     *
     * @param a one peer
     * @param b the other peer
     */
    public void resetStreams(PeerId a, PeerId b) {
        for (ConnectionCore c : new ArrayList<>(connections)) {
            if (c.joins(a, b)) {
                c.resetAllStreams();
            }
        }
    }

    /**
     * Arms a one-shot fault: once exactly {@code n} more bytes have been delivered from
     * {@code from} to {@code to}, the stream that carried the {@code n}-th byte is reset as by
     * {@link #resetStreams} (its reader gets those bytes, then the reset). Replaces an earlier armed
     * reset of that link. Any thread.
     *
     * @param from the sending peer
     * @param to the receiving peer
     * @param n the bytes to let through first, not negative
     * @throws IllegalArgumentException when {@code n} is negative
     */
    public void resetStreamsAfterBytes(PeerId from, PeerId to, long n) {
        requireNotNegative(n);
        link(from, to).resetAfter(n);
    }

    /**
     * Observes every chunk delivered from {@code from} to {@code to}, on every stream of every
     * connection, until the returned handle is closed. See {@link StreamTap} for threading. Any thread.
     *
     * @param from the sending peer
     * @param to the receiving peer
     * @param tap the observer
     * @return closing it removes the tap (idempotent, never throws)
     */
    public AutoCloseable tap(PeerId from, PeerId to, StreamTap tap) {
        Objects.requireNonNull(tap, "tap");
        Link link = link(from, to);
        link.taps.add(tap);
        AtomicBoolean removed = new AtomicBoolean();
        return () -> {
            if (removed.compareAndSet(false, true)) {
                link.taps.remove(tap);
            }
        };
    }

    @Override
    public String toString() {
        return "InMemoryNetwork[" + name + "]";
    }

    // ---- package-private plumbing ----

    /** @return the link from {@code from} to {@code to}, created on first use. Any thread. */
    Link link(PeerId from, PeerId to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        return links.computeIfAbsent(new LinkKey(from, to), k -> new Link(k.from(), k.to()));
    }

    /** Binds {@code address} to {@code t}; false when taken or {@code t} is closed. Any thread. */
    boolean bind(PeerAddress address, InMemoryTransport t) {
        synchronized (bindings) {
            if (t.isClosed() || bindings.containsKey(address.value())) {
                return false;
            }
            bindings.put(address.value(), t);
            return true;
        }
    }

    /** Removes every binding of {@code t}. Any thread. */
    void unbindAll(InMemoryTransport t) {
        synchronized (bindings) {
            bindings.values().removeIf(b -> b == t);
        }
    }

    /**
     * Creates a connection from {@code dialer} to the endpoint bound at {@code address}, registered
     * with both endpoints. Any thread.
     *
     * @throws PeerIdentityException when the endpoint there is not {@code expected} (nothing is created)
     * @throws TransportException when nothing listens there or either endpoint is closing
     */
    ConnectionCore connect(InMemoryTransport dialer, PeerAddress address, PeerId expected) {
        dials.computeIfAbsent(address.value(), a -> new AtomicLong()).incrementAndGet();
        synchronized (bindings) {
            InMemoryTransport target = bindings.get(address.value());
            if (target == null) {
                throw new TransportException("no endpoint listening at " + address + " on in-memory network '" + name
                        + "'; check the address and that the peer called listen()");
            }
            if (!target.localPeerId().equals(expected)) {
                throw new PeerIdentityException(address, expected, target.localPeerId());
            }
            long id = nextConnectionId.getAndIncrement();
            PeerAddress dialerAddress = dialer.localAddress()
                    .orElseGet(() -> PeerAddress.of(dialer.localPeerId() + "~" + id));
            ConnectionCore core = new ConnectionCore(this, id, dialer, target, address, dialerAddress);
            if (!dialer.register(core.dialer)) {
                throw new TransportException("in-memory endpoint " + dialer.localPeerId() + " is closed");
            }
            if (!target.register(core.acceptor)) {
                dialer.forget(core.dialer);
                throw new TransportException("no endpoint listening at " + address + " on in-memory network '" + name
                        + "' (it is closing)");
            }
            connections.add(core);
            return core;
        }
    }

    /** Forgets a closed connection. Any thread, any lock held. */
    void forget(ConnectionCore c) {
        connections.remove(c);
    }

    private static void requireNotNegative(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("byte count must not be negative, got " + n);
        }
    }
}
