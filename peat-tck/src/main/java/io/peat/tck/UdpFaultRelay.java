package io.peat.tck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback UDP relay that the kit puts in front of an endpoint of a UDP (QUIC) transport so that
 * the fault clauses can break its connections the way a network would: {@link #killSessions()}
 * black-holes every connection that passes through now, and {@link #killSessionsAfterBytes} does so
 * once a number of bytes has gone one way. A killed connection gets no close and no reset; its
 * endpoints only learn of the loss by their idle timeout.
 *
 * <p>Each client address is a session with its own upstream socket, so the endpoint behind the
 * relay sees one distinct peer address per session. After a kill, datagrams of the killed sessions
 * are dropped, except a QUIC Initial packet (long header, type Initial), which opens a fresh session:
 * a reconnect gets through, the old connection does not.
 *
 * <p>Threads: one daemon thread ({@code peat-tck-relay-<port>}) moves every datagram; the fault
 * methods may be called from any thread. {@link #close()} stops it and closes every socket.
 */
public final class UdpFaultRelay implements AutoCloseable {

    /** Which way bytes go through the relay. */
    public enum Direction {
        /** From the dialing client to the endpoint behind the relay. */
        TO_TARGET,
        /** From the endpoint behind the relay back to the client. */
        FROM_TARGET
    }

    private static final int MAX_DATAGRAM = 65_535;

    private final InetSocketAddress target;
    private final DatagramChannel front;
    private final Selector selector;
    private final Thread thread;
    // Sessions are created and used on the relay thread; the map is concurrent so that kills from
    // other threads can mark them.
    private final Map<SocketAddress, Session> sessions = new ConcurrentHashMap<>();
    private final AtomicLong[] forwarded = {new AtomicLong(), new AtomicLong()};
    private final AtomicLong[] forwardedDatagrams = {new AtomicLong(), new AtomicLong()};
    private final AtomicLong[] killBudget = {new AtomicLong(-1), new AtomicLong(-1)};
    private final AtomicLong kills = new AtomicLong();
    private volatile boolean closed;

    private static final class Session {
        final SocketAddress client;
        final DatagramChannel upstream;
        volatile boolean dead;

        Session(SocketAddress client, DatagramChannel upstream) {
            this.client = client;
            this.upstream = upstream;
        }
    }

    private UdpFaultRelay(InetSocketAddress target) throws IOException {
        this.target = target;
        this.selector = Selector.open();
        this.front = RelaySockets.openLoopback(target);
        front.register(selector, SelectionKey.OP_READ, null);
        this.thread = TckThreads.daemonThread("peat-tck-relay-" + front.socket().getLocalPort(), this::run);
    }

    /**
     * Starts a relay on a free loopback port in front of {@code target}.
     *
     * @param target the endpoint's UDP address (loopback)
     * @return the running relay
     * @throws UncheckedIOException when no socket can be opened
     */
    public static UdpFaultRelay start(InetSocketAddress target) {
        try {
            UdpFaultRelay relay = new UdpFaultRelay(target);
            relay.thread.start();
            return relay;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a UDP relay in front of " + target, e);
        }
    }

    /** @return the loopback address clients dial instead of the target */
    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), front.socket().getLocalPort());
    }

    /** @return the endpoint behind the relay */
    public InetSocketAddress target() {
        return target;
    }

    /** Black-holes every session open now; later QUIC Initial packets open fresh sessions. */
    public void killSessions() {
        sessions.values().forEach(s -> s.dead = true);
        kills.incrementAndGet();
    }

    /**
     * Arms a one-shot kill: once {@code bytes} more bytes have been forwarded in that direction,
     * the datagram that would cross the mark is dropped and every session is killed.
     *
     * @param direction which way to count
     * @param bytes how many more bytes get through
     */
    public void killSessionsAfterBytes(Direction direction, long bytes) {
        killBudget[direction.ordinal()].set(bytes);
    }

    /**
     * @param direction a direction
     * @return UDP payload bytes forwarded that way so far
     */
    public long forwardedBytes(Direction direction) {
        return forwarded[direction.ordinal()].get();
    }

    /**
     * @param direction a direction
     * @return UDP datagrams forwarded that way so far (a transport's packets per write show here)
     */
    public long forwardedDatagrams(Direction direction) {
        return forwardedDatagrams[direction.ordinal()].get();
    }

    /** @return how many times sessions were killed */
    public long killCount() {
        return kills.get();
    }

    @Override
    public void close() {
        closed = true;
        RelaySockets.awaitStop(selector, thread);
        closeQuietly();
    }

    private void run() {
        ByteBuffer buf = ByteBuffer.allocateDirect(MAX_DATAGRAM);
        try {
            while (!closed) {
                selector.select(500);
                for (SelectionKey key : selector.selectedKeys()) {
                    if (key.attachment() == null) {
                        fromClients(buf);
                    } else {
                        fromTarget((Session) key.attachment(), buf);
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                System.getLogger(UdpFaultRelay.class.getName()).log(System.Logger.Level.WARNING, "UDP relay in front of " + target
                        + " stopped: " + e, e);
            }
        } finally {
            closeQuietly();
        }
    }

    private void fromClients(ByteBuffer buf) throws IOException {
        SocketAddress client;
        while ((client = RelaySockets.receive(front, buf)) != null) {
            Session s = sessions.get(client);
            if (s == null || (s.dead && isQuicInitial(buf))) {
                if (s != null) {
                    s.upstream.close();
                }
                s = openSession(client);
            }
            if (!s.dead && pass(Direction.TO_TARGET, buf.remaining())) {
                s.upstream.send(buf, target);
            }
        }
    }

    private void fromTarget(Session s, ByteBuffer buf) throws IOException {
        while (s.upstream.isOpen() && RelaySockets.receive(s.upstream, buf) != null) {
            if (!s.dead && pass(Direction.FROM_TARGET, buf.remaining())) {
                front.send(buf, s.client);
            }
        }
    }

    /** Counts a datagram against the kill budget; false (and every session killed) when it crosses the mark. */
    private boolean pass(Direction d, int size) {
        AtomicLong budget = killBudget[d.ordinal()];
        long left = budget.get();
        if (left >= 0) {
            if (size > left) {
                budget.set(-1);
                killSessions();
                return false;
            }
            budget.set(left - size);
        }
        forwarded[d.ordinal()].addAndGet(size);
        forwardedDatagrams[d.ordinal()].incrementAndGet();
        return true;
    }

    private Session openSession(SocketAddress client) throws IOException {
        DatagramChannel up = RelaySockets.openLoopback(target);
        Session s = new Session(client, up);
        up.register(selector, SelectionKey.OP_READ, s);
        sessions.put(client, s);
        return s;
    }


    /** QUIC v1 Initial: long header (0x80), fixed bit (0x40), packet type 0 (bits 0x30). */
    static boolean isQuicInitial(ByteBuffer datagram) {
        if (!datagram.hasRemaining()) {
            return false;
        }
        int first = Byte.toUnsignedInt(datagram.get(datagram.position()));
        return (first & 0xC0) == 0xC0 && (first & 0x30) == 0;
    }


    private void closeQuietly() {
        RelaySockets.closeQuietly(selector, front, sessions.values().stream().map(s -> s.upstream).toList());
    }
}
