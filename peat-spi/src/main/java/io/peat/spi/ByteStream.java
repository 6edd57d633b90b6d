package io.peat.spi;

import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * One bidirectional stream on a {@link PeerConnection}: ordered, reliable bytes in each direction,
 * with the semantics of a QUIC stream.
 *
 * <h2>Writing</h2>
 * {@link #write} queues bytes in call order and returns at once; its stage completes when the
 * transport has taken the bytes into its own bounded send buffer (not when the peer has them).
 * When the peer reads slowly the stage completes later: that is the transport's backpressure, and
 * a caller that waits for each write before the next keeps its memory bounded. Writes from several
 * threads are each kept whole and in the order the calls were made, but callers that care about
 * the order of their bytes must serialise their calls themselves. {@link #finish} ends the send
 * direction (FIN) after the last byte written; {@link #reset} aborts both directions and discards
 * what is in flight.
 *
 * <h2>Reading</h2>
 * {@link #read} returns the next bytes the peer wrote. At most one read may be outstanding. A
 * clean end of stream (the peer finished after its last byte) completes the read with
 * {@link Optional#empty()}; a reset completes it exceptionally with {@link StreamResetException};
 * a lost connection with {@link ConnectionClosedException}. Not reading withholds flow-control
 * credit from the peer, so a slow reader slows the writer instead of growing a buffer.
 *
 * <h2>Threads</h2>
 * Every method may be called from any thread and never blocks. Stages complete on a transport
 * thread: dependants must not block; hand blocking work to an executor of your own.
 *
 * <p>A stream opened locally is seen by the peer (through
 * {@link TransportListener#onStream}) when its first byte arrives, as in QUIC. A stream finished or
 * reset before any byte was written may or may not be announced; callers must not rely on either.
 *
 * <h2>Independence</h2>
 * Streams of one connection are independent: bytes written on one never appear on another, however
 * many streams write at the same time, and a stream whose reader does not read holds up only its
 * own writer (kit clauses T3.7, T6.6, T6.8).
 */
public interface ByteStream {

    /** @return the stream's id, unique on its connection */
    long id();

    /** @return the connection that carries this stream */
    PeerConnection connection();

    /** @return true when this side opened the stream */
    boolean isLocallyInitiated();

    /**
     * Queues bytes for the peer. The caller hands the buffer over: it must not touch it again.
     *
     * @param data the bytes to send, from position to limit; an empty buffer sends nothing and
     *     completes at once (kit clause T6.4)
     * @return completes when the transport has taken the bytes; exceptionally with
     *     {@link StreamResetException} or {@link ConnectionClosedException}, or
     *     {@link IllegalStateException} when the stream was already finished (nothing is sent; T6.2)
     */
    CompletionStage<Void> write(ByteBuffer data);

    /**
     * Ends the send direction after every byte written so far (QUIC FIN). Idempotent: a second call
     * completes normally and sends nothing more (kit clause T6.3).
     *
     * @return completes when the FIN has been taken by the transport; exceptionally as {@link #write}
     */
    CompletionStage<Void> finish();

    /**
     * Aborts the stream in both directions: the peer's reads fail with
     * {@link StreamResetException}, local pending writes and reads fail likewise, and data in
     * flight is discarded. Idempotent; does nothing on a stream that is already closed both ways (this
     * side finished and read the peer's clean end, or either side reset it, or its connection closed).
     *
     * @param errorCode the application error code the peer is told
     */
    void reset(long errorCode);

    /**
     * Reads the next bytes from the peer. The stage may already be complete when it is returned
     * (bytes were waiting); callers must not assume it completes on another thread. The returned
     * buffer belongs to the caller from then on: the
     * transport never writes to it again, so a caller may keep it past later reads (kit clause T6.1).
     * A second call while a read is outstanding is refused (T6.5).
     *
     * @return the next chunk (at least one byte), or {@link Optional#empty()}
     *     at a clean end of stream; exceptionally with {@link StreamResetException} or
     *     {@link ConnectionClosedException}
     * @throws IllegalStateException when a read is already outstanding
     */
    CompletionStage<Optional<ByteBuffer>> read();
}
