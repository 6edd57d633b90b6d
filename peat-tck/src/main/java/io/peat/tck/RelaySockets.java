package io.peat.tck;

import io.peat.spi.ConfigException;
import io.peat.spi.PeerAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Selector;

/** The socket work the kit's loopback relays share: parsing {@code host:port}, and opening, receiving, closing UDP sockets. */
final class RelaySockets {
    private RelaySockets() {
    }

    /**
     * @param address {@code host:port}, IPv6 as {@code [::1]:port}
     * @return the socket address it names
     * @throws ConfigException naming the address when it is not {@code host:port}
     */
    static InetSocketAddress parseHostPort(PeerAddress address) {
        String v = address.value();
        int colon = v.lastIndexOf(':');
        if (colon <= 0) {
            throw new ConfigException("address '" + v + "' is not host:port");
        }
        String host = v.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            return new InetSocketAddress(host, Integer.parseInt(v.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("address '" + v + "' is not host:port with a port 0..65535");
        }
    }

    /**
     * @param peer the address the socket will talk to (its family is used)
     * @return a non-blocking socket bound to a free loopback port
     */
    static DatagramChannel openLoopback(InetSocketAddress peer) throws IOException {
        DatagramChannel ch = DatagramChannel.open(peer.getAddress() instanceof java.net.Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        ch.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        ch.configureBlocking(false);
        return ch;
    }

    /** Receives one datagram into {@code buf} (flipped for reading); @return its sender, null when none waits */
    static SocketAddress receive(DatagramChannel ch, ByteBuffer buf) throws IOException {
        buf.clear();
        SocketAddress from = ch.receive(buf);
        buf.flip();
        return from;
    }

    /** Wakes the relay's thread (which has seen its closed flag) and waits up to 5 s for it to end. */
    static void awaitStop(Selector selector, Thread thread) {
        selector.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Closes everything, ignoring failures: the relay is going away. */
    static void closeQuietly(Selector selector, DatagramChannel front, Iterable<DatagramChannel> upstreams) {
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            front.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (DatagramChannel up : upstreams) {
            try {
                up.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
