package io.peat.tck.selftest.broken;

import io.peat.spi.ByteStream;
import io.peat.spi.PeerConnection;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;

/** Breaks T6.8 (a stalled stream holds up only itself): see {@link HeadOfLineConnection}. */
final class HeadOfLineStream extends ForwardingStream {
    private final HeadOfLineConnection connection;

    HeadOfLineStream(ByteStream delegate, PeerConnection connection) {
        super(delegate, connection);
        this.connection = (HeadOfLineConnection) connection;
    }

    @Override
    public CompletionStage<Void> write(ByteBuffer data) {
        return connection.inTurn(() -> delegate().write(data));
    }
}
