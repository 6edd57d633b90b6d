package io.peat.sync.internal.channel;

import io.peat.spi.ByteStream;
import io.peat.spi.PeerId;
import io.peat.spi.ProtocolViolationException;
import io.peat.spi.internal.CompletionCauses;
import io.peat.sync.NodeClosedException;
import io.peat.sync.SyncConfig;
import io.peat.sync.wire.Frame;
import io.peat.sync.wire.FrameDecoder;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receive loop of one stream (SPEC sections 3.4 and 3.12): reads chunks, decodes frames, hands
 * them to the {@link FrameSink} and reads again only once they are applied, until the stream ends.
 * A FIN at a frame boundary ends it cleanly; a FIN mid-frame, a bad frame, a read failure or any
 * throwable in the read callback ends it with an error (and resets the stream).
 *
 * <p><b>Never drops, never trusts a claim.</b> Decoded frames are always handed on; while the sink
 * has not taken them, this loop does not read, so the transport's flow control slows the peer.
 * Every byte read is charged to the peer's {@link PeerCounters#pendingBytes} until the frame it
 * belongs to was applied (or the stream ended); a chunk that would take the peer over
 * {@link SyncConfig#maxPendingBytesPerPeer()} across all its streams is a protocol violation.
 *
 * <p>Threads: runs on the transport's completion threads; at most one read outstanding. The
 * decoder and {@code held} are confined to this loop.
 */
final class StreamReader {
    private static final Logger LOG = LoggerFactory.getLogger(StreamReader.class);
    /** Error code a stream is reset with when the peer broke the protocol. */
    static final long PROTOCOL_ERROR = 0x1;

    private final ByteStream stream;
    private final PeerId peer;
    private final FrameDecoder decoder;
    private final long maxPending;
    private final FrameSink sink;
    private final PeerCounters counters;
    private final Runnable onCleanEnd;
    private final Consumer<Throwable> onError;
    // Confined to the loop: bytes read on this stream and charged to the peer, not yet released.
    private long held;
    private boolean ended;
    /** Run once, when the first bytes arrive (the peer adopted a stream this side opened). */
    private volatile Runnable onFirstBytes;
    /** nanoTime since which a read has been waiting for bytes; -1 while none is outstanding. */
    private volatile long waitingSinceNanos = -1;

    StreamReader(ByteStream stream, SyncConfig config, FrameSink sink, PeerCounters counters, Runnable onCleanEnd,
            Consumer<Throwable> onError) {
        this.stream = stream;
        this.peer = stream.connection().remotePeerId();
        this.decoder = new FrameDecoder(peer.value(), config.maxPayloadBytes());
        this.maxPending = config.maxPendingBytesPerPeer();
        this.sink = sink;
        this.counters = counters;
        this.onCleanEnd = onCleanEnd;
        this.onError = onError;
    }

    void start() {
        readNext();
    }

    /**
     * @param hook run once, on a transport thread, when the first bytes arrive; set before {@link #start}
     * @return this reader
     */
    StreamReader onFirstBytes(Runnable hook) {
        this.onFirstBytes = hook;
        return this;
    }

    /**
     * @param nowNanos the time now
     * @return how long a read has been waiting for bytes without any arriving (0 while none is
     *     outstanding: a reader that waits for its frames to be applied is not silent)
     */
    long silentNanos(long nowNanos) {
        long since = waitingSinceNanos;
        return since < 0 || ended ? 0 : nowNanos - since;
    }

    private void readNext() {
        CompletionStage<Optional<ByteBuffer>> read;
        waitingSinceNanos = System.nanoTime();
        try {
            read = stream.read();
        } catch (RuntimeException e) {
            end(e);
            return;
        }
        read.whenComplete((chunk, failure) -> {
            try {
                onRead(chunk, failure);
            } catch (Throwable t) {
                // Anything at all (an OutOfMemoryError included) costs this stream only, and is said once.
                ProtocolViolationException e = new ProtocolViolationException("reading stream " + stream.id() + " from peer " + peer
                        + " failed: " + t);
                e.initCause(t);
                counters.recordProtocolError(e);
                stream.reset(PROTOCOL_ERROR);
                end(e);
            }
        });
    }

    private void onRead(Optional<ByteBuffer> chunk, Throwable failure) {
        waitingSinceNanos = -1;
        if (failure != null) {
            end(CompletionCauses.unwrap(failure));
            return;
        }
        if (chunk.isEmpty()) {
            if (decoder.isMidFrame()) {
                ProtocolViolationException e = new ProtocolViolationException("peer " + peer + " finished stream " + stream.id()
                        + " in the middle of a frame; the stream is dropped, the node goes on");
                counters.recordProtocolError(e);
                end(e);
            } else {
                end(null);
            }
            return;
        }
        ByteBuffer bytes = chunk.get();
        Runnable first = onFirstBytes;
        if (first != null) {
            onFirstBytes = null;
            first.run();
        }
        int n = bytes.remaining();
        counters.bytesReceived.addAndGet(n);
        held += n;
        long pending = counters.pendingBytes.addAndGet(n);
        List<Frame> frames = new ArrayList<>();
        ProtocolViolationException violation = null;
        if (pending > maxPending) {
            violation = new ProtocolViolationException("peer " + peer + " holds " + pending + " bytes read and not yet applied across its"
                    + " streams, over the limit of " + maxPending + " bytes (SyncConfig.maxPendingBytesPerPeer); stream " + stream.id()
                    + " is reset");
        } else {
            try {
                decoder.feed(bytes, frames::add);
            } catch (ProtocolViolationException e) {
                violation = e;
            }
        }
        if (violation != null) {
            counters.recordProtocolError(violation);
            stream.reset(PROTOCOL_ERROR);
            // Frames decoded before the bad one are still good: apply them, then end.
            ProtocolViolationException v = violation;
            deliver(frames).whenComplete((x, y) -> end(v));
            return;
        }
        if (frames.isEmpty()) {
            readNext();
            return;
        }
        deliver(frames).whenComplete((v, x) -> {
            if (x != null) {
                end(CompletionCauses.unwrap(x));
            } else {
                readNext();
            }
        });
    }

    /** Hands frames on; completes when they were applied, and releases their bytes then. */
    private CompletionStage<Void> deliver(List<Frame> frames) {
        if (frames.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        long size = 0;
        for (Frame f : frames) {
            counters.framesReceived.incrementAndGet(f.typeCode());
            size += f.encodedSize();
        }
        long release = size;
        CompletionStage<Void> applied;
        try {
            applied = sink.onFrames(peer, frames);
        } catch (RuntimeException e) {
            applied = CompletableFuture.failedFuture(e);
        }
        return applied.whenComplete((v, x) -> {
            held -= release;
            counters.pendingBytes.addAndGet(-release);
        });
    }

    /** Ends the loop once: releases what it held and tells the owner (null = clean end). */
    private void end(Throwable cause) {
        if (ended) {
            return;
        }
        ended = true;
        counters.pendingBytes.addAndGet(-held);
        held = 0;
        if (cause == null) {
            onCleanEnd.run();
            return;
        }
        if (cause instanceof NodeClosedException) {
            // The node is closing: this stream goes with it; nothing to report.
            LOG.debug("stream {} from {} ends with its node: {}", stream.id(), peer, cause.getMessage());
            stream.reset(0);
        }
        onError.accept(cause);
    }
}
