/**
 * The peat-java transport SPI: the stream-level, QUIC-shaped contract that every network backend
 * implements, and the ServiceLoader discovery that picks one. Depends on the JDK only.
 */
module io.peat.spi {
    exports io.peat.spi;
    // Internal, not API (the OpenTelemetry way): exported only so that peat-java's own modules can
    // share it; it may change in any release without notice. See its package-info.
    exports io.peat.spi.internal;

    uses io.peat.spi.SyncTransportProvider;
}
