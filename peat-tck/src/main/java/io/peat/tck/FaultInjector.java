package io.peat.tck;

import io.peat.spi.PeerId;

/**
 * Breaks connections between two endpoints of the transport under test, the way a network fault
 * would: no close handshake, no FIN, bytes in flight lost. Called on the JUnit test thread.
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
}
