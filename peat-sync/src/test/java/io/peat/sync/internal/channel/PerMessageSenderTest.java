package io.peat.sync.internal.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.peat.spi.ByteStream;
import io.peat.spi.PeerConnection;
import io.peat.spi.PeerId;
import io.peat.sync.BackpressureException;
import io.peat.sync.internal.channel.StreamReaderTest.ScriptedStream;
import io.peat.sync.wire.Frame;
import io.peat.sync.wire.MessageType;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The fallback path: one frame per fresh stream, in-flight sends bounded, the reply side served. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PerMessageSenderTest {
    private static final PeerId PEER = PeerId.of("peer-x");
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final List<ByteStream> served = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        scheduler.shutdownNow();
    }

    private PerMessageSender sender(PeerConnection conn, int maxInFlight) {
        return new PerMessageSender(p -> CompletableFuture.completedFuture(conn), s -> {
            served.add(s);
            return new CompletableFuture<Void>();
        }, scheduler, Duration.ofSeconds(30), maxInFlight);
    }

    private static Frame frame() {
        return Frame.of("c:1", MessageType.DELTA_SYNC, new byte[] {1, 2});
    }

    @Test
    void aSendOpensAStreamWritesOneFrameFinishesAndServesTheReplySide() throws Exception {
        PeerConnection conn = ScriptedStream.openConnection(PEER);
        ScriptedStream stream = new ScriptedStream(3, conn, true);
        when(conn.openStream()).thenReturn(CompletableFuture.completedFuture(stream));
        PeerCounters counters = new PeerCounters();

        sender(conn, 4).send(PEER, frame(), counters).toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertEquals(1, counters.fallbackSends.get());
        assertEquals(frame().encodedSize(), counters.bytesSent.get());
        assertEquals(List.of(stream), served);
    }

    @Test
    void sendsInFlightAreBoundedAndTheExtraOneIsRefusedWithBackpressure() throws Exception {
        PeerConnection conn = ScriptedStream.openConnection(PEER);
        CompletableFuture<ByteStream> never = new CompletableFuture<>();
        when(conn.openStream()).thenReturn((CompletionStage<ByteStream>) (CompletionStage<?>) never);
        PerMessageSender sender = sender(conn, 2);
        PeerCounters counters = new PeerCounters();

        CompletableFuture<Void> first = sender.send(PEER, frame(), counters).toCompletableFuture();
        CompletableFuture<Void> second = sender.send(PEER, frame(), counters).toCompletableFuture();
        CompletableFuture<Void> third = sender.send(PEER, frame(), counters).toCompletableFuture();

        ExecutionException e = assertThrows(ExecutionException.class, () -> third.get(10, TimeUnit.SECONDS));
        assertInstanceOf(BackpressureException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("2"), e.getCause().getMessage());
        assertTrue(!first.isDone() && !second.isDone());
        assertEquals(0, counters.fallbackSends.get());
    }
}
