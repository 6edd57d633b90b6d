package io.peat.tck;

import io.peat.tck.UdpFaultRelay.Direction;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP relay that the kit puts in front of an endpoint of a TCP transport so that the
 * fault clauses can break its connections the way a network would. It accepts on a free port of
 * 127.0.0.1; for each client it accepts it opens a connection to the target and copies bytes both
 * ways (a session; an end that finishes its output is half-closed through to the other end).
 *
 * <p>{@link #killSessions()} resets every session open now: both sockets are closed with
 * {@code SO_LINGER} 0, so the client and the target each see a connection reset, with no close
 * handshake of the transport. {@link #killSessionsAfterBytes} arms a one-shot kill: exactly that
 * many more bytes are delivered in that direction, the rest of the chunk that crosses the mark is
 * not, and every session is reset. Connections made after a kill get fresh sessions.
 *
 * <p>Threads: one daemon thread accepts ({@code peat-tck-tcp-relay-<port>}), and each session has
 * two daemon threads, one per direction ({@code peat-tck-tcp-relay-<port>-<session>-to-target} and
 * {@code ...-from-target}). The other methods may be called from any thread and do not block,
 * except {@link #close()}, which waits up to 5 s for the relay's threads to end.
 */
public final class TcpFaultRelay implements AutoCloseable {
    private static final int CHUNK = 64 * 1024;
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    private static final long STOP_WAIT_MILLIS = 5_000;

    private final InetSocketAddress target;
    private final ServerSocket server;
    private final String name;
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final AtomicLong[] forwarded = {new AtomicLong(), new AtomicLong()};
    private final long[] killBudget = {-1, -1};
    private final AtomicLong kills = new AtomicLong();
    private final AtomicInteger sessionNumbers = new AtomicInteger();
    private volatile boolean closed;

    private TcpFaultRelay(InetSocketAddress target) throws IOException {
        this.target = target;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.name = "peat-tck-tcp-relay-" + server.getLocalPort();
    }

    /**
     * Starts a relay on a free loopback port in front of {@code target}.
     *
     * @param target the endpoint's TCP address
     * @return the running relay
     * @throws UncheckedIOException when no server socket can be opened
     */
    public static TcpFaultRelay start(InetSocketAddress target) {
        try {
            TcpFaultRelay relay = new TcpFaultRelay(target);
            relay.spawn(relay.name, relay::acceptLoop);
            return relay;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a TCP relay in front of " + target, e);
        }
    }

    /** @return the loopback address clients dial instead of the target */
    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
    }

    /** @return the endpoint behind the relay */
    public InetSocketAddress target() {
        return target;
    }

    /** Resets every session open now (both ends see a connection reset); later connections get fresh sessions. */
    public void killSessions() {
        kills.incrementAndGet();
        for (Session s : sessions) {
            s.reset();
        }
    }

    /**
     * Silences every session open now, as a pulled cable: their bytes are read and dropped, both
     * sockets stay open and neither end is told (no FIN, no reset); later connections get fresh
     * sessions that pass. A session's end that sends a FIN or reset still ends it.
     */
    public void silenceSessions() {
        for (Session s : sessions) {
            s.silenced = true;
        }
    }

    /**
     * Arms a one-shot kill: once {@code bytes} more bytes have been delivered in that direction
     * (over all sessions), the rest of the chunk that crosses the mark is dropped and every
     * session is reset.
     *
     * @param direction which way to count
     * @param bytes how many more bytes get through (0 kills at the next byte)
     * @throws IllegalArgumentException when {@code bytes} is negative
     */
    public void killSessionsAfterBytes(Direction direction, long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must be >= 0, got " + bytes);
        }
        synchronized (killBudget) {
            killBudget[direction.ordinal()] = bytes;
        }
    }

    /**
     * @param direction a direction
     * @return bytes delivered that way so far
     */
    public long forwardedBytes(Direction direction) {
        return forwarded[direction.ordinal()].get();
    }

    /** @return how many times sessions were killed */
    public long killCount() {
        return kills.get();
    }

    /** @return the sessions open now */
    public int openSessions() {
        return sessions.size();
    }

    /** Stops accepting, resets every session and waits up to 5 s for the relay's threads to end. Idempotent. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        sessions.forEach(Session::reset);
        long deadline = System.nanoTime() + STOP_WAIT_MILLIS * 1_000_000;
        for (Thread t : threads) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                break;
            }
            try {
                t.join(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public String toString() {
        return "TcpFaultRelay[" + address() + " -> " + target + ", " + sessions.size() + " sessions]";
    }

    private void spawn(String threadName, Runnable body) {
        Thread t = TckThreads.daemonThread(threadName, () -> {
            try {
                body.run();
            } finally {
                threads.remove(Thread.currentThread());
            }
        });
        threads.add(t);
        t.start();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    System.getLogger(TcpFaultRelay.class.getName()).log(System.Logger.Level.WARNING, name + " stopped accepting: " + e, e);
                }
                return;
            }
            Session s = new Session(client);
            sessions.add(s);
            if (closed) {
                s.reset();
            }
            spawn(name + "-" + sessionNumbers.incrementAndGet() + "-to-target", s::connectAndRun);
        }
    }

    /** @return how many of {@code n} bytes going {@code d} may be delivered; fewer than n means kill after them */
    private int admit(Direction d, int n) {
        synchronized (killBudget) {
            long left = killBudget[d.ordinal()];
            if (left < 0 || n <= left) {
                if (left >= 0) {
                    killBudget[d.ordinal()] = left - n;
                }
                return n;
            }
            killBudget[d.ordinal()] = -1;
            return (int) left;
        }
    }

    /** One client and its upstream connection to the target. */
    private final class Session {
        private final Socket client;
        private final Socket upstream = new Socket();
        private final AtomicInteger directionsLeft = new AtomicInteger(2);
        /** Set by {@link #silenceSessions}: bytes are dropped from then on. */
        volatile boolean silenced;

        Session(Socket client) {
            this.client = client;
        }

        /** Runs on the session's to-target thread: connects upstream, starts the other direction, pumps this one. */
        void connectAndRun() {
            try {
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                upstream.connect(target, CONNECT_TIMEOUT_MILLIS);
            } catch (IOException e) {
                reset();
                return;
            }
            String me = Thread.currentThread().getName();
            spawn(me.substring(0, me.length() - "to-target".length()) + "from-target",
                    () -> pump(Direction.FROM_TARGET, upstream, client));
            pump(Direction.TO_TARGET, client, upstream);
        }

        private void pump(Direction d, Socket from, Socket to) {
            byte[] buf = new byte[CHUNK];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                while (true) {
                    int n = in.read(buf);
                    if (n < 0) {
                        to.shutdownOutput();
                        break;
                    }
                    if (silenced) {
                        continue; // a pulled cable: the bytes go nowhere, nobody is told
                    }
                    int pass = admit(d, n);
                    if (pass > 0) {
                        out.write(buf, 0, pass);
                        forwarded[d.ordinal()].addAndGet(pass);
                    }
                    if (pass < n) {
                        killSessions();
                        return;
                    }
                }
            } catch (IOException e) {
                // One end failed (or was reset by a kill): the other end sees a reset too, as on a network.
                reset();
                return;
            }
            if (directionsLeft.decrementAndGet() == 0) {
                closeQuietly(client);
                closeQuietly(upstream);
                sessions.remove(this);
            }
        }

        /** Closes both sockets with SO_LINGER 0, so both ends see a reset; unblocks both pump threads. */
        void reset() {
            sessions.remove(this);
            for (Socket s : new Socket[] {client, upstream}) {
                try {
                    if (!s.isClosed()) {
                        s.setSoLinger(true, 0);
                    }
                } catch (IOException ignored) {
                    // closing anyway
                }
                closeQuietly(s);
            }
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
