package io.peat.tck.selftest.tcp;

import io.peat.spi.PeerAddress;
import io.peat.spi.PeerConnection;
import io.peat.spi.PeerId;
import io.peat.spi.PeerIdentityException;
import io.peat.spi.TransportException;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;

/**
 * The hello exchange that turns a socket into a {@link TcpConnection}. The acceptor says its peer
 * id first; the dialer checks it against the id it expected and only then says its own, so an
 * acceptor never announces a connection the dialer refused. No keys: the acceptor trusts the
 * dialer's claim. Runs on the connection's reader thread, which then reads the connection.
 */
final class Handshake {
    private Handshake() {
    }

    /** Dials, checks the acceptor's id, completes {@code dialed} and reads the connection until it ends. */
    static void dial(TcpTransport endpoint, PeerAddress address, InetSocketAddress target, PeerId expected,
            CompletableFuture<PeerConnection> dialed) {
        Socket socket = new Socket();
        endpoint.track(socket);
        TcpConnection c;
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) endpoint.idleTimeout().toMillis());
            socket.connect(target, (int) endpoint.idleTimeout().toMillis());
            DataInputStream in = TcpConnection.input(socket);
            PeerId actual = helloFrom(in);
            if (!expected.equals(actual)) {
                endpoint.untrack(socket);
                endpoint.deliver(() -> dialed.completeExceptionally(new PeerIdentityException(address, expected, actual)));
                return;
            }
            sendHello(socket, endpoint.localPeerId());
            c = new TcpConnection(endpoint, socket, in, actual, true);
        } catch (IOException | RuntimeException e) {
            endpoint.untrack(socket);
            endpoint.deliver(() -> dialed.completeExceptionally(new TransportException("cannot connect to " + address + " (expecting "
                    + expected + "): " + e.getMessage(), e)));
            return;
        }
        if (endpoint.register(c)) {
            endpoint.deliver(() -> dialed.complete(c));
        } else {
            endpoint.deliver(() -> dialed.completeExceptionally(new TransportException("cannot connect to " + address
                    + ": the endpoint " + endpoint.localPeerId() + " is closed")));
        }
        runThenUntrack(endpoint, socket, c);
    }

    /** Says this endpoint's id, takes the dialer's, tells the listener and reads the connection until it ends. */
    static void accept(TcpTransport endpoint, Socket socket) {
        endpoint.track(socket);
        TcpConnection c;
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) endpoint.idleTimeout().toMillis());
            sendHello(socket, endpoint.localPeerId());
            DataInputStream in = TcpConnection.input(socket);
            c = new TcpConnection(endpoint, socket, in, helloFrom(in), false);
        } catch (IOException | RuntimeException e) {
            // The dialer went away or refused our id: no connection to announce.
            endpoint.untrack(socket);
            return;
        }
        if (endpoint.register(c)) {
            endpoint.tellConnection(c);
        }
        runThenUntrack(endpoint, socket, c);
    }

    private static void runThenUntrack(TcpTransport endpoint, Socket socket, TcpConnection c) {
        try {
            c.run();
        } finally {
            endpoint.untrack(socket);
        }
    }

    private static PeerId helloFrom(DataInputStream in) throws IOException {
        Frame f = Frame.readFrom(in);
        if (f.type() != Frame.HELLO) {
            throw new IOException("the peer's first frame is type " + f.type() + ", not a hello");
        }
        try {
            return PeerId.of(f.text());
        } catch (IllegalArgumentException e) {
            throw new IOException("the peer's hello carries no valid peer id: " + e.getMessage(), e);
        }
    }

    private static void sendHello(Socket socket, PeerId me) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Frame.hello(me.value()).writeTo(new DataOutputStream(bytes));
        socket.getOutputStream().write(bytes.toByteArray());
    }
}
