package io.peat.quic;

import io.peat.spi.ConfigException;
import io.peat.spi.PeerAddress;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * The {@code host:port} peer addresses every QUIC transport takes (IPv6 as {@code [::1]:port}):
 * parsing with typed errors that name the address and the fix, and printing. Stateless; any thread.
 */
public final class HostPort {
    private HostPort() {
    }

    /**
     * @param address {@code host:port}
     * @return the socket address (resolved)
     * @throws ConfigException naming the address when it is not {@code host:port}
     */
    public static InetSocketAddress parse(PeerAddress address) {
        String v = address.value().trim();
        int colon = v.lastIndexOf(':');
        if (colon <= 0 || colon == v.length() - 1) {
            throw new ConfigException("address '" + v + "' is not host:port; give for example 127.0.0.1:7000 or [::1]:7000");
        }
        String host = v.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new ConfigException("address '" + v + "' has an IPv6 host without brackets; write it as [" + host + "]:port");
        }
        int port;
        try {
            port = Integer.parseInt(v.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new ConfigException("address '" + v + "' has no numeric port; give host:port with a port 0..65535");
        }
        if (port < 0 || port > 65535) {
            throw new ConfigException("address '" + v + "' has port " + port + "; give a port 0..65535");
        }
        InetSocketAddress a = new InetSocketAddress(host, port);
        if (a.isUnresolved()) {
            throw new ConfigException("address '" + v + "': host '" + host + "' cannot be resolved");
        }
        return a;
    }

    /**
     * @param host the host as the user wrote it (null to print the address)
     * @param a a socket address
     * @return {@code host:port}
     */
    public static PeerAddress format(String host, SocketAddress a) {
        if (!(a instanceof InetSocketAddress isa)) {
            return PeerAddress.of(String.valueOf(a));
        }
        String h = host;
        if (h == null) {
            InetAddress ia = isa.getAddress();
            h = ia == null ? isa.getHostString() : ia.getHostAddress();
            if (ia instanceof Inet6Address) {
                int pct = h.indexOf('%');
                h = "[" + (pct >= 0 ? h.substring(0, pct) : h) + "]";
            }
        }
        return PeerAddress.of(h + ":" + isa.getPort());
    }

    /**
     * @param address {@code host:port}, already accepted by {@link #parse}
     * @return the host part as written, brackets kept
     */
    public static String hostPart(PeerAddress address) {
        String v = address.value().trim();
        return v.substring(0, v.lastIndexOf(':'));
    }
}
