package io.peat.sync.internal.channel;

import io.peat.spi.ByteStream;
import io.peat.sync.SyncConfig;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a <em>secondary</em> stream: one that is not a channel's persistent stream (a one-shot
 * stream, or the losing stream of a simultaneous open). Its frames are read and dispatched like any
 * other; nothing is written on it; when the peer finishes it, this side finishes too.
 */
public final class StreamServing {
    private static final Logger LOG = LoggerFactory.getLogger(StreamServing.class);

    private StreamServing() {
    }

    /**
     * @param stream the stream
     * @param config the payload cap and the per-peer pending bound for its frames
     * @param sink where its frames go
     * @param counters the peer's counters
     * @return completes when the read side has ended, cleanly or not
     */
    public static CompletionStage<Void> serveSecondary(ByteStream stream, SyncConfig config, FrameSink sink, PeerCounters counters) {
        CompletableFuture<Void> ended = new CompletableFuture<>();
        new StreamReader(stream, config, sink, counters, () -> {
            stream.finish();
            ended.complete(null);
        }, e -> {
            LOG.debug("secondary stream {} from {} ended: {}", stream.id(), stream.connection().remotePeerId(), e.toString());
            stream.reset(0);
            ended.complete(null);
        }).start();
        return ended;
    }
}
