package io.peat.tck;

import io.peat.spi.PeerId;

/**
 * Breaks connections between two endpoints of the transport under test, the way a network fault
 * would: no close handshake, no FIN, bytes in flight lost. Two modes: {@link #killConnections}
 * may reset the connection (the transport may be told at once) or black-hole it, as the injector
 * can; {@link #silenceConnections} must black-hole it (nobody is told), so that the kit can check
 * the transport notices a dead peer by itself (clauses T4.3, S4.3). Called on the JUnit test thread.
 */
public interface FaultInjector {

    /**
     * Kills every connection between two peers now.
     *
     * @param a one peer
     * @param b the other
     */
    void killConnections(PeerId a, PeerId b);

    /**
     * Arms a one-shot fault: after exactly {@code bytes} more bytes have been delivered from
     * {@code from} to {@code to}, the connection carrying them dies (so a reader can be left in the
     * middle of a frame).
     *
     * @param from the sending peer
     * @param to the receiving peer
     * @param bytes how many more bytes get through
     */
    void killConnectionsAfterBytes(PeerId from, PeerId to, long bytes);

    /**
     * Silences every connection between two peers now, as a pulled cable: from then on nothing of
     * theirs gets through either way and neither end is told (no close, no reset, no FIN).
     * Connections made afterwards must get through. The default cannot, and says so.
     *
     * @param a one peer
     * @param b the other
     * @throws UnsupportedOperationException when this injector cannot black-hole a connection
     */
    default void silenceConnections(PeerId a, PeerId b) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot silence a connection: implement"
                + " FaultInjector.silenceConnections (drop everything of the connections open now, tell nobody), as the kit's"
                + " relays (UdpRelayFaults, TcpRelayFaults) and InMemoryNetwork do");
    }
}
