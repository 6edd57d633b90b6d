package io.peat.tck;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.peat.spi.ByteStream;
import io.peat.spi.CloseReason;
import io.peat.spi.ConnectionClosedException;
import io.peat.spi.PeerConnection;
import io.peat.spi.internal.CompletionCauses;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * T4 flow control and close (CONTRACT.md): a reader that does not read holds the writer back
 * instead of growing a buffer, and closing a connection ends every pending operation on both ends.
 */
public interface FlowControlClauses extends TckSupport {

    /** Size of each write in T4.1. */
    int CHUNK = 64 * 1024;
    /** T4.1 fails when the writer gets this far ahead of a reader that reads nothing. */
    long NEVER_HELD_BACK = 64L << 20;

    @Test
    @DisplayName("T4.1 A slow reader pushes back on the writer with bounded memory: while the reader does not read, a writer that"
            + " waits for each write cannot get more than a bounded amount ahead; when the reader reads, everything arrives")
    default void required_T4_1_slowReaderPushesBackOnTheWriter() throws Exception {
        ConnectedPair p = ConnectedPair.open(this);
        ByteStream sb = StreamIo.done(p.atB.openStream(), "b's openStream()");
        List<Integer> sizes = new ArrayList<>();
        long accepted = 0;
        CompletableFuture<Void> held;
        while (true) {
            if (accepted >= NEVER_HELD_BACK) {
                throw new AssertionError("the writer was never held back: b's writes accepted " + StreamIo.size(accepted) + " ("
                        + sizes.size() + " writes of 64 KiB, each completed) while a read nothing; a reader that does not read"
                        + " must withhold credit so the writer's memory stays bounded");
            }
            CompletableFuture<Void> w = sb.write(ByteBuffer.wrap(BytePattern.bytes(41, accepted, CHUNK))).toCompletableFuture();
            sizes.add(CHUNK);
            try {
                // A liveness probe, not a verdict: a write still pending after a second counts as held back.
                w.get(1, TimeUnit.SECONDS);
                accepted += CHUNK;
            } catch (TimeoutException heldBack) {
                held = w;
                break;
            } catch (ExecutionException e) {
                Throwable cause = CompletionCauses.unwrap(e);
                throw new AssertionError("b's write " + sizes.size() + " (64 KiB at offset " + accepted + ") failed while a was"
                        + " not reading: " + cause, cause);
            }
        }
        long heldAt = accepted;
        ByteStream sa = ConnectedPair.nextStream(p.a, "a being told of the stream b wrote " + StreamIo.size(heldAt + CHUNK) + " on");
        StreamReader reader = StreamReader.start(sa, "a's read of everything b wrote while a was not reading ("
                + StreamIo.size(heldAt) + " accepted before the writer was held back)");
        StreamIo.done(held, "b's write " + sizes.size() + " (64 KiB at offset " + heldAt + "), held back while a did not read,"
                + " once a started reading (a has read " + reader.received() + " bytes so far)", reader::received);
        accepted += CHUNK;
        for (int i = 0; i < 4; i++) {
            CompletionStage<Void> w = sb.write(ByteBuffer.wrap(BytePattern.bytes(41, accepted, CHUNK)));
            sizes.add(CHUNK);
            StreamIo.done(w, "b's write " + sizes.size() + " (64 KiB at offset " + accepted + ") while a reads", reader::received);
            accepted += CHUNK;
        }
        StreamIo.done(sb.finish(), "b's finish() after " + sizes.size() + " writes", reader::received);
        byte[] got = reader.join();
        BytePattern.assertSame("the " + StreamIo.size(accepted) + " b wrote (" + StreamIo.size(heldAt)
                + " of them before it was held back), as a read them once it started reading",
                BytePattern.bytes(41, 0, (int) accepted), got, BytePattern.writes(sizes.stream().mapToInt(Integer::intValue).toArray()));
    }

    @Test
    @DisplayName("T4.2 Closing a connection fails pending writes and reads promptly (on both ends) with ConnectionClosedException,"
            + " and later ones too")
    default void required_T4_2_closeFailsPendingAndLaterOperationsOnBothEnds() throws Exception {
        ConnectedPair p = ConnectedPair.open(this);
        // Stream 1: a read pending on each end (nobody writes more).
        ConnectedPair.Streams one = p.openFromB(new byte[] {1});
        ConnectedPair.readExactly(one.atA(), 1, "a's read of b's first byte on stream 1");
        CompletionStage<Optional<ByteBuffer>> readA = one.atA().read();
        CompletionStage<Optional<ByteBuffer>> readB = one.atB().read();
        // Stream 2: a write pending on each end (nobody reads stream 2, so credit runs out).
        ConnectedPair.Streams two = p.openFromB(new byte[] {2});
        int big = 16 << 20;
        CompletionStage<Void> writeB = two.atB().write(ByteBuffer.allocate(big));
        CompletionStage<Void> writeA = two.atA().write(ByteBuffer.allocate(big));
        boolean writeBPending = !writeB.toCompletableFuture().isDone();
        boolean writeAPending = !writeA.toCompletableFuture().isDone();

        p.atB.close(CloseReason.NORMAL, "tck: closing with operations pending");

        StreamIo.fails(readB, ConnectionClosedException.class, "b's pending read on stream 1 after b closed the connection");
        if (writeBPending) {
            StreamIo.fails(writeB, ConnectionClosedException.class, "b's pending write of 16 MiB on stream 2 (a was not reading)"
                    + " after b closed the connection");
        }
        StreamIo.fails(readA, ConnectionClosedException.class, "a's pending read on stream 1 after b closed the connection");
        if (writeAPending) {
            StreamIo.fails(writeA, ConnectionClosedException.class, "a's pending write of 16 MiB on stream 2 (b was not reading)"
                    + " after b closed the connection");
        }
        StreamIo.done(p.atA.closeFuture(), "a's closeFuture() after b closed the connection");
        StreamIo.done(p.atB.closeFuture(), "b's closeFuture() after b closed the connection");
        assertFalse(p.atB.isOpen(), "b closed the connection, but its end still says isOpen()");
        assertFalse(p.atA.isOpen(), "b closed the connection, but a's end still says isOpen()");

        for (ConnectedPair.Streams s : List.of(one, two)) {
            String n = s == one ? "1" : "2";
            StreamIo.failsOrThrows(() -> s.atB().write(ByteBuffer.wrap(new byte[] {9})), ConnectionClosedException.class,
                    "b's write on stream " + n + " after the connection closed");
            StreamIo.failsOrThrows(() -> s.atA().write(ByteBuffer.wrap(new byte[] {9})), ConnectionClosedException.class,
                    "a's write on stream " + n + " after the connection closed");
        }
        StreamIo.failsOrThrows(() -> one.atB().read(), ConnectionClosedException.class, "b's read on stream 1 after the connection"
                + " closed");
        StreamIo.failsOrThrows(() -> one.atA().read(), ConnectionClosedException.class, "a's read on stream 1 after the connection"
                + " closed");
        StreamIo.failsOrThrows(p.atB::openStream, ConnectionClosedException.class, "b's openStream() after the connection closed");
        StreamIo.failsOrThrows(p.atA::openStream, ConnectionClosedException.class, "a's openStream() after the connection closed");
    }

    @Test
    @DisplayName("T4.3 A connection that went silent (FaultInjector.silenceConnections: nothing gets through, nobody "
            + "is told) is noticed within the fixture's declared idleTimeout() plus half plus 2 s: closeFuture() "
            + "completes on both ends and pending reads fail with ConnectionClosedException")
    default void required_T4_3_aSilentConnectionIsNoticed() throws Exception {
        FaultInjector faults = requireFaults();
        ConnectedPair p = ConnectedPair.open(this);
        ConnectedPair.Streams s = p.openFromB(new byte[] {1});
        ConnectedPair.readExactly(s.atA(), 1, "a's read of the first byte");
        CompletionStage<Optional<ByteBuffer>> readA = s.atA().read();
        CompletionStage<Optional<ByteBuffer>> readB = s.atB().read();
        java.time.Duration idle = fixture().idleTimeout();
        java.time.Duration limit = idle.plus(idle.dividedBy(2)).plusSeconds(2);
        if (limit.compareTo(TckTimeouts.await()) > 0) {
            limit = TckTimeouts.await();
        }
        long start = System.nanoTime();
        faults.silenceConnections(p.b.transport().localPeerId(), p.a.transport().localPeerId());
        for (PeerConnection c : List.of(p.atA, p.atB)) {
            String end = c == p.atA ? "a" : "b";
            long left = limit.toNanos() - (System.nanoTime() - start);
            try {
                c.closeFuture().toCompletableFuture().get(Math.max(1, left), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError(end + "'s end of a connection that went silent was still open " + limit.toMillis()
                        + " ms later (declared idle timeout " + idle.toMillis() + " ms, plus half, plus 2 s): the transport does not"
                        + " notice a dead peer; give it an idle timeout and keep-alives, and declare it in"
                        + " TransportFixture.idleTimeout()");
            }
        }
        StreamIo.fails(readA, ConnectionClosedException.class, "a's pending read on the connection that went silent");
        StreamIo.fails(readB, ConnectionClosedException.class, "b's pending read on the connection that went silent");
    }
}
