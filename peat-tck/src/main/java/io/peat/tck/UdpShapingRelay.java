package io.peat.tck;

import io.peat.tck.UdpFaultRelay.Direction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A loopback UDP relay that shapes the link between a QUIC client and the endpoint behind it the way
 * a constrained network would (SPEC section 6): in each direction datagrams wait in a bounded
 * drop-tail queue for a token bucket to let them go, then travel for a fixed one-way delay.
 *
 * <p>It counts, per direction, datagrams and bytes offered, dropped (queue full) and forwarded, the
 * deepest the queue got, and datagrams by size ({@link Stats}), so a benchmark can tell overhead on
 * the wire from overhead in the frames.
 *
 * <p>Each client address is a session with its own upstream socket, as in {@link UdpFaultRelay}; both
 * directions of every session share one bucket per direction, as they would share a link.
 *
 * <p>Threads: one daemon thread ({@code peat-tck-shaper-<port>}) receives, paces and sends every
 * datagram; {@link #stats} and {@link #close} may be called from any thread.
 */
public final class UdpShapingRelay implements AutoCloseable {

    /** Upper bounds (inclusive) of the datagram size classes of {@link Stats#datagramsBySize()}; the last class is open. */
    public static final int[] SIZE_CLASSES = {99, 299, 599, 1199};

    private static final int MAX_DATAGRAM = 65_535;

    /**
     * How one direction of the link is shaped.
     *
     * @param bytesPerSecond the token bucket's rate (UDP payload bytes); 0 = unlimited
     * @param burstBytes the bucket's size: how many bytes may leave back to back
     * @param oneWayDelay how long every datagram travels after it left the bucket
     * @param queueLimitBytes the most bytes that may wait for the bucket; a datagram that would go
     *     beyond is dropped (drop-tail)
     */
    public record Shape(long bytesPerSecond, int burstBytes, Duration oneWayDelay, int queueLimitBytes) {

        /**
         * @throws IllegalArgumentException when a value is negative, or the burst is 0 with a rate set
         */
        public Shape {
            Objects.requireNonNull(oneWayDelay, "oneWayDelay");
            if (bytesPerSecond < 0 || burstBytes < 0 || oneWayDelay.isNegative() || queueLimitBytes < 0) {
                throw new IllegalArgumentException("shape values must not be negative: bytesPerSecond=" + bytesPerSecond
                        + ", burstBytes=" + burstBytes + ", oneWayDelay=" + oneWayDelay + ", queueLimitBytes=" + queueLimitBytes);
            }
            if (bytesPerSecond > 0 && burstBytes == 0) {
                throw new IllegalArgumentException("a rate of " + bytesPerSecond + " B/s needs a burst of at least one datagram;"
                        + " set burstBytes to about one MTU (1500)");
            }
        }

        /** @return SPEC section 6's link: 256 kbit/s, 1500 B burst, 100 ms one way, 64 KiB queue */
        public static Shape spec() {
            return new Shape(32_000, 1500, Duration.ofMillis(100), 64 * 1024);
        }
    }

    /**
     * What went one way through the relay so far.
     *
     * @param offeredDatagrams datagrams that reached the relay
     * @param offeredBytes their UDP payload bytes
     * @param droppedDatagrams datagrams dropped because the queue was full
     * @param droppedBytes their bytes
     * @param forwardedDatagrams datagrams sent on after the bucket and the delay
     * @param forwardedBytes their bytes
     * @param peakQueuedBytes the most bytes that waited for the bucket at once
     * @param datagramsBySize offered datagrams per size class ({@link #SIZE_CLASSES}, then larger)
     */
    public record Stats(long offeredDatagrams, long offeredBytes, long droppedDatagrams, long droppedBytes,
            long forwardedDatagrams, long forwardedBytes, long peakQueuedBytes, long[] datagramsBySize) {

        /** @return the size classes as labels, e.g. {@code "<=99"}, {@code ">=1200"} */
        public static String[] sizeLabels() {
            String[] out = new String[SIZE_CLASSES.length + 1];
            for (int i = 0; i < SIZE_CLASSES.length; i++) {
                out[i] = "<=" + SIZE_CLASSES[i];
            }
            out[SIZE_CLASSES.length] = ">=" + (SIZE_CLASSES[SIZE_CLASSES.length - 1] + 1);
            return out;
        }
    }

    private final InetSocketAddress target;
    private final DatagramChannel front;
    private final Selector selector;
    private final Thread thread;
    private final Lane[] lanes;
    private volatile boolean closed;
    // Relay thread only.
    private final Map<SocketAddress, Session> sessions = new java.util.concurrent.ConcurrentHashMap<>();

    private record Session(SocketAddress client, DatagramChannel upstream) {
    }

    private record Datagram(byte[] bytes, Session session, long releaseNanos) {
    }

    /** One direction: its bucket, its queue, its delay line and its counters. Relay thread only, but the counters. */
    private static final class Lane {
        final Shape shape;
        final ArrayDeque<Datagram> queue = new ArrayDeque<>();
        final ArrayDeque<Datagram> inFlight = new ArrayDeque<>();
        long queuedBytes;
        double tokens;
        long refilledAt;
        // offered d/b, dropped d/b, forwarded d/b, peak queued, then size classes
        final AtomicLongArray counters = new AtomicLongArray(7 + SIZE_CLASSES.length + 1);

        Lane(Shape shape, long now) {
            this.shape = shape;
            this.tokens = shape.burstBytes();
            this.refilledAt = now;
        }

        Stats stats() {
            long[] bySize = new long[SIZE_CLASSES.length + 1];
            for (int i = 0; i < bySize.length; i++) {
                bySize[i] = counters.get(7 + i);
            }
            return new Stats(counters.get(0), counters.get(1), counters.get(2), counters.get(3), counters.get(4), counters.get(5),
                    counters.get(6), bySize);
        }

        void offer(byte[] bytes, Session s, long now) {
            counters.incrementAndGet(0);
            counters.addAndGet(1, bytes.length);
            int c = 0;
            while (c < SIZE_CLASSES.length && bytes.length > SIZE_CLASSES[c]) {
                c++;
            }
            counters.incrementAndGet(7 + c);
            if (queuedBytes + bytes.length > shape.queueLimitBytes() && !queue.isEmpty()) {
                counters.incrementAndGet(2);
                counters.addAndGet(3, bytes.length);
                return;
            }
            queue.add(new Datagram(bytes, s, 0));
            queuedBytes += bytes.length;
            if (queuedBytes > counters.get(6)) {
                counters.set(6, queuedBytes);
            }
        }

        /** Lets through the bucket what its tokens allow; @return nanos until the head may go, or -1 when empty. */
        long pace(long now) {
            if (shape.bytesPerSecond() > 0) {
                tokens = Math.min(shape.burstBytes(), tokens + (now - refilledAt) * shape.bytesPerSecond() / 1e9);
            }
            refilledAt = now;
            while (!queue.isEmpty()) {
                Datagram d = queue.peek();
                int size = d.bytes().length;
                if (shape.bytesPerSecond() > 0) {
                    // A datagram larger than the bucket goes once the bucket is full, leaving it in debt.
                    double need = Math.min(size, shape.burstBytes());
                    if (tokens < need) {
                        return (long) Math.ceil((need - tokens) * 1e9 / shape.bytesPerSecond());
                    }
                    tokens -= size;
                }
                queue.poll();
                queuedBytes -= size;
                inFlight.add(new Datagram(d.bytes(), d.session(), now + shape.oneWayDelay().toNanos()));
            }
            return -1;
        }
    }

    private UdpShapingRelay(InetSocketAddress target, Shape toTarget, Shape fromTarget) throws IOException {
        this.target = target;
        long now = System.nanoTime();
        this.lanes = new Lane[] {new Lane(toTarget, now), new Lane(fromTarget, now)};
        this.selector = Selector.open();
        this.front = RelaySockets.openLoopback(target);
        front.register(selector, SelectionKey.OP_READ, null);
        this.thread = TckThreads.daemonThread("peat-tck-shaper-" + front.socket().getLocalPort(), this::run);
    }

    /**
     * Starts a shaping relay on a free loopback port in front of {@code target}.
     *
     * @param target the endpoint's UDP address (loopback)
     * @param toTarget how datagrams from clients to the target are shaped
     * @param fromTarget how datagrams from the target back to clients are shaped
     * @return the running relay
     * @throws UncheckedIOException when no socket can be opened
     */
    public static UdpShapingRelay start(InetSocketAddress target, Shape toTarget, Shape fromTarget) {
        try {
            UdpShapingRelay relay = new UdpShapingRelay(target, toTarget, fromTarget);
            relay.thread.start();
            return relay;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a UDP shaping relay in front of " + target, e);
        }
    }

    /** @return the loopback address clients dial instead of the target */
    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), front.socket().getLocalPort());
    }

    /**
     * @param direction a direction
     * @return its counters so far
     */
    public Stats stats(Direction direction) {
        return lanes[direction.ordinal()].stats();
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
                long wait = step(System.nanoTime());
                if (wait < 0) {
                    selector.select();
                } else if (wait < 1_000_000) {
                    selector.selectNow();
                    if (wait > 50_000) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                } else {
                    selector.select(wait / 1_000_000);
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    long now = System.nanoTime();
                    if (key.attachment() == null) {
                        fromClients(buf, now);
                    } else {
                        fromTarget((Session) key.attachment(), buf, now);
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                System.getLogger(UdpShapingRelay.class.getName()).log(System.Logger.Level.WARNING, "UDP shaping relay in front of "
                        + target + " stopped: " + e, e);
            }
        } finally {
            closeQuietly();
        }
    }

    /** Paces both lanes and sends what is due; @return nanos until the next thing is due, or -1 for nothing. */
    private long step(long now) throws IOException {
        long next = -1;
        for (int d = 0; d < lanes.length; d++) {
            Lane lane = lanes[d];
            long paced = lane.pace(now);
            while (!lane.inFlight.isEmpty() && lane.inFlight.peek().releaseNanos() <= now) {
                Datagram g = lane.inFlight.poll();
                lane.counters.incrementAndGet(4); // counted first: whoever receives it sees it counted
                lane.counters.addAndGet(5, g.bytes().length);
                if (d == Direction.TO_TARGET.ordinal()) {
                    g.session().upstream().send(ByteBuffer.wrap(g.bytes()), target);
                } else {
                    front.send(ByteBuffer.wrap(g.bytes()), g.session().client());
                }
            }
            if (paced >= 0) {
                next = next < 0 ? paced : Math.min(next, paced);
            }
            if (!lane.inFlight.isEmpty()) {
                long due = Math.max(0, lane.inFlight.peek().releaseNanos() - now);
                next = next < 0 ? due : Math.min(next, due);
            }
        }
        return next;
    }

    private void fromClients(ByteBuffer buf, long now) throws IOException {
        SocketAddress client;
        while ((client = RelaySockets.receive(front, buf)) != null) {
            Session s = sessions.get(client);
            if (s == null) {
                s = openSession(client);
            }
            lanes[Direction.TO_TARGET.ordinal()].offer(copy(buf), s, now);
        }
    }

    private void fromTarget(Session s, ByteBuffer buf, long now) throws IOException {
        while (s.upstream().isOpen() && RelaySockets.receive(s.upstream(), buf) != null) {
            lanes[Direction.FROM_TARGET.ordinal()].offer(copy(buf), s, now);
        }
    }

    private static byte[] copy(ByteBuffer buf) {
        byte[] b = new byte[buf.remaining()];
        buf.get(b);
        return b;
    }

    private Session openSession(SocketAddress client) throws IOException {
        DatagramChannel up = RelaySockets.openLoopback(target);
        Session s = new Session(client, up);
        up.register(selector, SelectionKey.OP_READ, s);
        sessions.put(client, s);
        return s;
    }



    private void closeQuietly() {
        RelaySockets.closeQuietly(selector, front, sessions.values().stream().map(Session::upstream).toList());
    }
}
