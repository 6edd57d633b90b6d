package io.peat.sync.channel;

import io.peat.spi.ByteStream;
import io.peat.spi.PeerId;
import io.peat.spi.ProtocolViolationException;
import io.peat.sync.wire.Frame;
import io.peat.sync.wire.FrameDecoder;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receive loop of one stream (SPEC section 3.4): reads chunks, decodes frames, hands them to
 * the {@link FrameSink} and reads again only once they are processed, until the stream ends.
 * A FIN at a frame boundary ends it cleanly; a FIN mid-frame, a bad frame or a read failure ends
 * it with an error (a bad frame also resets the stream).
 *
 * <p>Threads: runs on the transport's completion threads; at most one read outstanding. The
 * decoder is confined to this loop.
 */
final class StreamReader {
    private static final Logger LOG = LoggerFactory.getLogger(StreamReader.class);
    /** Error code a stream is reset with when the peer broke the protocol. */
    static final long PROTOCOL_ERROR = 0x1;

    private final ByteStream stream;
    private final PeerId peer;
    private final FrameDecoder decoder;
    private final FrameSink sink;
    private final PeerCounters counters;
    private final Runnable onCleanEnd;
    private final Consumer<Throwable> onError;

    StreamReader(ByteStream stream, int maxPayload, FrameSink sink, PeerCounters counters, Runnable onCleanEnd,
            Consumer<Throwable> onError) {
        this.stream = stream;
        this.peer = stream.connection().remotePeerId();
        this.decoder = new FrameDecoder(peer.value(), maxPayload);
        this.sink = sink;
        this.counters = counters;
        this.onCleanEnd = onCleanEnd;
        this.onError = onError;
    }

    void start() {
        readNext();
    }

    private void readNext() {
        stream.read().whenComplete(this::onRead);
    }

    private void onRead(Optional<ByteBuffer> chunk, Throwable failure) {
        if (failure != null) {
            onError.accept(unwrap(failure));
            return;
        }
        if (chunk.isEmpty()) {
            if (decoder.isMidFrame()) {
                ProtocolViolationException e = new ProtocolViolationException("peer " + peer + " finished stream " + stream.id()
                        + " in the middle of a frame");
                counters.protocolErrors.incrementAndGet();
                counters.lastProtocolViolation.set(e);
                LOG.warn("{}; the stream is dropped, the node goes on", e.getMessage());
                onError.accept(e);
            } else {
                onCleanEnd.run();
            }
            return;
        }
        ByteBuffer bytes = chunk.get();
        counters.bytesReceived.addAndGet(bytes.remaining());
        List<Frame> frames = new ArrayList<>();
        try {
            decoder.feed(bytes, frames::add);
        } catch (ProtocolViolationException e) {
            counters.protocolErrors.incrementAndGet();
            counters.lastProtocolViolation.set(e);
            LOG.warn("resetting stream {} from {}: {}", stream.id(), peer, e.getMessage());
            stream.reset(PROTOCOL_ERROR);
            // Frames decoded before the bad one are still good: deliver them, then report.
            deliver(frames).whenComplete((v, x) -> onError.accept(e));
            return;
        }
        if (frames.isEmpty()) {
            readNext();
            return;
        }
        deliver(frames).whenComplete((v, x) -> {
            if (x != null) {
                LOG.error("{} frame(s) from {} on stream {} were not processed: {}", frames.size(), peer, stream.id(), unwrap(x).toString());
            }
            readNext();
        });
    }

    private java.util.concurrent.CompletionStage<Void> deliver(List<Frame> frames) {
        if (frames.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        for (Frame f : frames) {
            counters.framesReceived.incrementAndGet(f.typeCode());
        }
        try {
            return sink.onFrames(peer, frames);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
