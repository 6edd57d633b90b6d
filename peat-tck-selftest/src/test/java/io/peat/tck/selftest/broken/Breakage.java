package io.peat.tck.selftest.broken;

import io.peat.spi.ByteStream;
import io.peat.spi.PeerConnection;
import java.util.function.BiFunction;

/**
 * One deliberate way to break a working transport. Each constant says which wrapper its connections
 * and streams get; the wrapper classes say, in their own comments, what exactly they do wrong.
 */
public enum Breakage {
    /** Breaks nothing: every call is passed on. Shows that the wrappers alone change no outcome. */
    NONE(ForwardingConnection::new, ForwardingStream::new),
    /** The last write before {@code finish()} never reaches the peer (breaks T3.2). */
    DROP_LAST_WRITE_BEFORE_FIN(ForwardingConnection::new, DropsLastWriteBeforeFin::new),
    /** Each pair of consecutive writes goes out second-first (breaks T3.1, T3.6). */
    REORDER_WRITES(ForwardingConnection::new, ReordersWritePairs::new),
    /** The 3rd write on each stream goes out twice (breaks T3.6, T3.1). */
    DUPLICATE_A_WRITE(ForwardingConnection::new, DuplicatesThirdWrite::new),
    /** {@code PeerConnection.close} does nothing (breaks T4.2). */
    SWALLOW_CLOSE(SwallowsClose::new, ForwardingStream::new),
    /** From the 10th write on each stream, the returned stage never completes (breaks T3.6, T4.1). */
    NEVER_COMPLETE_WRITE(ForwardingConnection::new, StallsWritesFromTenth::new),
    /** {@code remotePeerId()} names {@value ReportsImpostorPeerId#IMPOSTOR} instead of the peer (breaks T2.2). */
    WRONG_PEER_ID(ReportsImpostorPeerId::new, ForwardingStream::new),
    /** Each write goes out as two halves, unlocked, so concurrent writes interleave (breaks T3.10). */
    TEAR_CONCURRENT_WRITES(ForwardingConnection::new, TearsWritesInHalves::new),
    /** {@code read()} returns one buffer of the stream's, refilled by the next read (breaks T6.1). */
    REUSE_READ_BUFFER(ForwardingConnection::new, ReusesReadBuffer::new),
    /** Writes after {@code finish()} are dropped and reported as taken (breaks T6.2). */
    ACCEPT_WRITE_AFTER_FINISH(ForwardingConnection::new, AcceptsWriteAfterFinish::new),
    /** A second {@code finish()} fails (breaks T6.3). */
    FINISH_ONLY_ONCE(ForwardingConnection::new, FinishesOnlyOnce::new),
    /** An empty write never completes (breaks T6.4). */
    NEVER_COMPLETE_EMPTY_WRITE(ForwardingConnection::new, NeverCompletesEmptyWrite::new),
    /** A second outstanding {@code read()} is queued instead of refused (breaks T6.5). */
    QUEUE_SECOND_READ(ForwardingConnection::new, QueuesASecondRead::new),
    /** With 32 streams writing at once, some writes go out on another stream (breaks T6.6). */
    CROSS_TALK_UNDER_LOAD(CrossTalkConnection::new, CrossTalkStream::new),
    /** A second connection to the same peer names an impostor (breaks T6.7). */
    NEW_PEER_ID_ON_REDIAL(ChangesPeerIdOnRedial::new, ForwardingStream::new),
    /**
     * No wrapper: the endpoints get no idle timeout ({@code inmem.idleTimeout=0}) while the fixture
     * declares 1 s, as a transport without dead-peer detection (breaks T4.3). See
     * {@link #configuredIdleTimeout()}.
     */
    NO_DEAD_PEER_DETECTION(ForwardingConnection::new, ForwardingStream::new),
    /** Writes of all streams of a connection wait in one line, so a stalled stream holds up the rest (breaks T6.8). */
    HOLD_UP_OTHER_STREAMS(HeadOfLineConnection::new, HeadOfLineStream::new),
    /** {@code listen()} on an address in use reports success instead of failing (breaks T2.6). */
    LISTEN_ON_ADDRESS_IN_USE(ForwardingConnection::new, ForwardingStream::new),
    /** Close reasons are cut to 32 characters (breaks T2.7). */
    CLIP_CLOSE_REASON(ClipsCloseReason::new, ForwardingStream::new),
    /**
     * {@code connect()} and {@code listen()} throw {@code ConfigException} for an address with a NUL or
     * over 255 characters instead of failing the stage (breaks T2.8).
     */
    THROW_ON_MALFORMED_ADDRESS(ForwardingConnection::new, ForwardingStream::new),
    /** The accepting end names a dialer by the first 64 characters of its id (breaks T2.9). */
    CLIP_PEER_ID(ClipsPeerId::new, ForwardingStream::new);

    /** @return the idle timeout the broken transport's endpoints really get */
    public java.time.Duration configuredIdleTimeout() {
        return this == NO_DEAD_PEER_DETECTION ? java.time.Duration.ZERO : java.time.Duration.ofSeconds(1);
    }

    private final BiFunction<PeerConnection, EndpointWrapper, PeerConnection> connections;
    private final BiFunction<ByteStream, PeerConnection, ByteStream> streams;

    Breakage(BiFunction<PeerConnection, EndpointWrapper, PeerConnection> connections,
            BiFunction<ByteStream, PeerConnection, ByteStream> streams) {
        this.connections = connections;
        this.streams = streams;
    }

    PeerConnection wrapConnection(PeerConnection delegate, EndpointWrapper endpoint) {
        return connections.apply(delegate, endpoint);
    }

    ByteStream wrapStream(ByteStream delegate, PeerConnection wrappedConnection) {
        return streams.apply(delegate, wrappedConnection);
    }
}
