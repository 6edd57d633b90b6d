/**
 * The peat-java transport SPI: the stream-level, QUIC-shaped contract that every network backend
 * implements, and the ServiceLoader discovery that picks one. Depends on the JDK only.
 */
module io.peat.spi {
    exports io.peat.spi;

    uses io.peat.spi.SyncTransportProvider;
}
