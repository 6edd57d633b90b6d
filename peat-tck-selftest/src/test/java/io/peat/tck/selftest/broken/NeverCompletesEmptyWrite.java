package io.peat.tck.selftest.broken;

import io.peat.spi.ByteStream;
import io.peat.spi.PeerConnection;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Breaks T6.4 (an empty write completes): a write of nothing returns a stage that never completes. */
final class NeverCompletesEmptyWrite extends ForwardingStream {

    NeverCompletesEmptyWrite(ByteStream delegate, PeerConnection connection) {
        super(delegate, connection);
    }

    @Override
    public CompletionStage<Void> write(ByteBuffer data) {
        return data.hasRemaining() ? delegate().write(data) : new CompletableFuture<>();
    }
}
