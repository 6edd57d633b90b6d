package io.peat.tck.selftest.tcp;

import io.peat.spi.ByteStream;
import io.peat.spi.CloseReason;
import io.peat.spi.ConnectionClosedException;
import io.peat.spi.PeerAddress;
import io.peat.spi.PeerConnection;
import io.peat.spi.PeerId;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One TCP connection to a peer, carrying multiplexed {@link TcpStream}s as {@link Frame}s. Made by
 * {@link Handshake} once both peer ids are known.
 *
 * <p>Threads: a reader thread (the one that did the handshake) reads frames and feeds the streams;
 * a writer thread writes the outbox and sends a PING when nothing was sent for a third of the idle
 * timeout. A connection that receives nothing for the idle timeout is lost. Other methods may be
 * called from any thread and never block; stages complete on the endpoint's event thread.
 */
final class TcpConnection implements PeerConnection {
    /** Outbox marker: flush, end the output (TCP FIN) and stop the writer. */
    private static final Frame SHUTDOWN = new Frame(-1, 0, new byte[0]);

    private final TcpTransport endpoint;
    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;
    private final PeerId remote;
    private final PeerAddress remoteAddress;
    private final boolean initiator;
    private final LinkedBlockingQueue<Frame> outbox = new LinkedBlockingQueue<>();
    private final Map<Long, TcpStream> streams = new ConcurrentHashMap<>();
    /** Remote-initiated stream ids seen so far; used on the reader thread only. */
    private final Set<Long> seenRemote = new HashSet<>();
    private final AtomicReference<CloseReason> closed = new AtomicReference<>();
    private final CompletableFuture<CloseReason> closeFuture = new CompletableFuture<>();
    private long nextLocalId;

    TcpConnection(TcpTransport endpoint, Socket socket, DataInputStream in, PeerId remote, boolean initiator) throws IOException {
        this.endpoint = endpoint;
        this.socket = socket;
        this.in = in;
        this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 64 * 1024));
        this.remote = remote;
        this.remoteAddress = HostPort.format(socket.getInetAddress().getHostAddress(), socket.getPort());
        this.initiator = initiator;
        this.nextLocalId = initiator ? 0 : 1;
    }

    static DataInputStream input(Socket socket) throws IOException {
        return new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 * 1024));
    }

    @Override
    public PeerId remotePeerId() {
        return remote;
    }

    @Override
    public PeerAddress remoteAddress() {
        return remoteAddress;
    }

    @Override
    public boolean isInitiator() {
        return initiator;
    }

    @Override
    public CompletionStage<ByteStream> openStream() {
        CloseReason why = closed.get();
        if (why != null) {
            return CompletableFuture.failedFuture(new ConnectionClosedException(remote, why));
        }
        TcpStream s;
        synchronized (this) {
            s = new TcpStream(this, nextLocalId, true);
            nextLocalId += 2;
        }
        streams.put(s.id(), s);
        if (closed.get() != null) {
            s.fail(new ConnectionClosedException(remote, closed.get()));
        }
        return CompletableFuture.completedFuture(s);
    }

    @Override
    public boolean isOpen() {
        return closed.get() == null;
    }

    @Override
    public void close(long code, String reason) {
        String r = reason == null ? "" : reason;
        if (end(new CloseReason(code, r, false))) {
            outbox.add(Frame.close(code, r));
            outbox.add(SHUTDOWN);
        }
    }

    @Override
    public CompletionStage<CloseReason> closeFuture() {
        return closeFuture;
    }

    /** Starts the writer and runs the reader loop on the calling thread until the connection ends. */
    void run() {
        endpoint.spawn("conn-" + remote + "-write", this::writeLoop);
        try {
            while (true) {
                Frame f = Frame.readFrom(in);
                if (closed.get() == null) {
                    dispatch(f);
                }
            }
        } catch (SocketTimeoutException e) {
            lose("no bytes from " + remote + " for " + endpoint.idleTimeout().toMillis() + " ms (idle timeout)");
        } catch (EOFException e) {
            lose("the connection to " + remote + " ended without a close");
        } catch (IOException e) {
            lose("the connection to " + remote + " failed: " + e.getMessage());
        } finally {
            closeSocket();
        }
    }

    private void dispatch(Frame f) {
        switch (f.type()) {
            case Frame.CLOSE -> {
                if (end(new CloseReason(f.code(), f.reason(), true))) {
                    outbox.add(SHUTDOWN);
                }
            }
            case Frame.PING, Frame.HELLO -> {
                // keep-alive: arriving is all it does
            }
            default -> {
                TcpStream s = stream(f);
                if (s == null) {
                    return;
                }
                switch (f.type()) {
                    case Frame.DATA -> s.onData(f.payload());
                    case Frame.FIN -> s.onFin();
                    case Frame.RESET -> s.onReset(f.code());
                    default -> s.onCredit(f.credit());
                }
            }
        }
    }

    /** @return the frame's stream; a new one (told to the listener) for a first DATA or FIN from the peer; null when retired */
    private TcpStream stream(Frame f) {
        TcpStream s = streams.get(f.stream());
        boolean remoteParity = (f.stream() % 2 == 0) != initiator;
        if (s != null || !remoteParity || seenRemote.contains(f.stream()) || (f.type() != Frame.DATA && f.type() != Frame.FIN)) {
            return s;
        }
        seenRemote.add(f.stream());
        TcpStream created = new TcpStream(this, f.stream(), false);
        streams.put(created.id(), created);
        if (f.type() == Frame.DATA) {
            created.onData(f.payload());
        } else {
            created.onFin();
        }
        endpoint.tellStream(created);
        return null;
    }

    private void writeLoop() {
        long keepAliveMillis = Math.max(1, endpoint.idleTimeout().toMillis() / 3);
        try {
            while (true) {
                Frame f = outbox.poll(keepAliveMillis, TimeUnit.MILLISECONDS);
                if (f == null) {
                    f = Frame.ping();
                }
                if (f == SHUTDOWN) {
                    out.flush();
                    socket.shutdownOutput();
                    return;
                }
                if (closed.get() == null || f.type() == Frame.CLOSE) {
                    f.writeTo(out);
                }
                if (outbox.isEmpty()) {
                    out.flush();
                }
            }
        } catch (IOException e) {
            lose("writing to " + remote + " failed: " + e.getMessage());
            closeSocket();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeSocket();
        }
    }

    /** Queues a frame for the writer (any thread, never blocks). */
    void send(Frame f) {
        outbox.add(f);
    }

    /** Completes write or finish stages on the event thread. */
    void complete(List<CompletableFuture<Void>> done) {
        if (!done.isEmpty()) {
            deliver(() -> done.forEach(f -> f.complete(null)));
        }
    }

    void deliver(Runnable r) {
        endpoint.deliver(r);
    }

    /** Forgets a stream that is done both ways or reset: later frames for it are ignored. */
    void retire(TcpStream s) {
        streams.remove(s.id(), s);
    }

    /** The connection died without a close: report it as lost and drop the socket. */
    private void lose(String why) {
        end(new CloseReason(CloseReason.LOST, why, false));
        closeSocket();
    }

    /** Closes the socket now (endpoint shutdown, or after the reader's end). */
    void closeSocket() {
        outbox.add(SHUTDOWN);
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** Marks the connection closed once: fails every stream, completes closeFuture. @return whether this call closed it */
    private boolean end(CloseReason reason) {
        if (!closed.compareAndSet(null, reason)) {
            return false;
        }
        ConnectionClosedException e = new ConnectionClosedException(remote, reason);
        streams.values().forEach(s -> s.fail(e));
        endpoint.forget(this);
        deliver(() -> closeFuture.complete(reason));
        return true;
    }

    @Override
    public String toString() {
        return "TcpConnection[" + endpoint.localPeerId() + (initiator ? " -> " : " <- ") + remote + " at " + remoteAddress + "]";
    }
}
