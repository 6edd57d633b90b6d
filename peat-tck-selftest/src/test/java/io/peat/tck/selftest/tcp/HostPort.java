package io.peat.tck.selftest.tcp;

import io.peat.spi.ConfigException;
import io.peat.spi.PeerAddress;
import java.net.InetSocketAddress;

/** Parses and prints the TCP transport's {@code host:port} addresses (IPv6 as {@code [::1]:port}). Stateless. */
final class HostPort {
    private HostPort() {
    }

    /**
     * @param address {@code host:port}
     * @return the socket address (resolved)
     * @throws ConfigException naming the address when it is not {@code host:port}
     */
    static InetSocketAddress parse(PeerAddress address) {
        String v = address.value();
        int colon = v.lastIndexOf(':');
        if (colon <= 0 || colon == v.length() - 1) {
            throw new ConfigException("tcp address '" + v + "' is not host:port, e.g. 127.0.0.1:0");
        }
        String host = v.startsWith("[") && v.charAt(colon - 1) == ']' ? v.substring(1, colon - 1) : v.substring(0, colon);
        try {
            return new InetSocketAddress(host, Integer.parseInt(v.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("tcp address '" + v + "' is not host:port with a port 0..65535");
        }
    }

    /**
     * @param host the host as given when binding
     * @param port the port
     * @return {@code host:port}, brackets around an IPv6 host
     */
    static PeerAddress format(String host, int port) {
        return PeerAddress.of((host.contains(":") ? "[" + host + "]" : host) + ":" + port);
    }
}
