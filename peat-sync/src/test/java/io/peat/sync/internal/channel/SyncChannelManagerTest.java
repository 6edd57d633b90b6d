package io.peat.sync.internal.channel;

import io.peat.sync.ChannelState;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.peat.spi.PeerConnection;
import io.peat.spi.PeerId;
import io.peat.spi.SyncTransport;
import io.peat.sync.SyncConfig;
import io.peat.sync.internal.channel.StreamReaderTest.ScriptedStream;
import io.peat.sync.wire.Frame;
import io.peat.sync.wire.FrameCodec;
import io.peat.sync.wire.MessageType;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The channel registry: which stream is a peer's, what happens to the others, and reconnecting. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SyncChannelManagerTest {
    private static final PeerId LOCAL = PeerId.of("local-m");
    private static final PeerId PEER = PeerId.of("peer-x"); // ScriptedStream's peer; sorts above LOCAL

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final List<Frame> received = new CopyOnWriteArrayList<>();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final Map<PeerId, PeerCounters> counters = new ConcurrentHashMap<>();
    private final PeerConnections connections = new PeerConnections(mock(SyncTransport.class), c -> { });
    private final FrameSink sink = new FrameSink() {
        @Override
        public CompletionStage<Void> onFrames(PeerId from, List<Frame> frames) {
            received.addAll(frames);
            frames.forEach(f -> order.add("frame " + f.docKey()));
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> onPersistentFrames(PeerId from, List<Frame> frames, long generation) {
            frames.forEach(f -> generations.add(f.docKey() + "@" + generation));
            return onFrames(from, frames);
        }
    };
    private final List<String> generations = new CopyOnWriteArrayList<>();
    /** Channel attachments and frames, in the order the manager reported them. */
    private final List<String> order = new CopyOnWriteArrayList<>();
    private final ChannelListener listener = new ChannelListener() {
        @Override
        public void onChannelConnected(PeerId peer, boolean replacesStream, long generation) {
            events.add("connected " + peer + (replacesStream ? " replacing" : ""));
            order.add("connected " + peer + (replacesStream ? " replacing" : ""));
        }

        @Override
        public void onWritable(PeerId peer) {
            events.add("writable " + peer);
        }

        @Override
        public void onChannelState(PeerId peer, ChannelState from, ChannelState to, long generation, String reason) {
            states.add(peer + " " + to);
        }

        @Override
        public void onPeerDeparted(PeerId peer, String reason) {
            events.add("departed " + peer);
        }
    };
    private final List<String> states = new CopyOnWriteArrayList<>();
    private final SyncConfig config = SyncConfig.defaults();
    private final SyncChannelManager manager = new SyncChannelManager(LOCAL, config, connections,
            SyncChannelManager.perMessageSender(connections, config, sink, scheduler, this::counters), sink, listener, scheduler,
            this::counters);

    private PeerCounters counters(PeerId p) {
        return counters.computeIfAbsent(p, x -> new PeerCounters());
    }

    @AfterEach
    void close() {
        manager.close();
        scheduler.shutdownNow();
    }

    private static byte[] frame(String key) {
        return FrameCodec.encodeToArray(Frame.of(key, MessageType.DELTA_SYNC, new byte[] {1}));
    }

    @Test
    void theListenerHearsOfAStreamBeforeAnyOfItsFramesAndEachFrameCarriesItsGeneration() {
        // Bytes already waiting when the stream arrives: the reader hands them on at once. The owner resets the
        // peer's sync states when told of a replacing stream, so a frame handed on before that would be wiped.
        ScriptedStream first = new ScriptedStream(1);
        first.push(frame("c:first"));
        manager.onStream(first);
        ScriptedStream second = new ScriptedStream(2, ScriptedStream.openConnection(PEER), false);
        second.push(frame("c:second"));
        manager.onStream(second);
        first.push(frame("c:late-on-first"));

        assertEquals(List.of("connected " + PEER, "frame c:first", "connected " + PEER + " replacing", "frame c:second",
                "frame c:late-on-first"), order);
        assertEquals(List.of("c:first@1", "c:second@2", "c:late-on-first@1"), generations);
    }

    @Test
    void theFirstInboundStreamBecomesTheChannelAndItsFramesAreRead() {
        ScriptedStream s = new ScriptedStream(1);
        manager.onStream(s);

        assertEquals(ChannelState.CONNECTED, manager.channel(PEER).orElseThrow().state());
        assertEquals(List.of("connected " + PEER), events);
        s.push(frame("c:1"));
        assertEquals(1, received.size());
    }

    @Test
    void anotherStreamOnTheSameConnectionIsServedAsSecondaryAndNeverReplacesTheChannel() {
        ScriptedStream first = new ScriptedStream(1);
        manager.onStream(first);
        long generation = manager.channel(PEER).orElseThrow().generation();
        ScriptedStream oneShot = new ScriptedStream(5, first.connection(), false);

        manager.onStream(oneShot);
        oneShot.push(frame("c:one-shot"));
        oneShot.fin();

        assertEquals(generation, manager.channel(PEER).orElseThrow().generation());
        assertEquals(List.of("connected " + PEER), events, "the listener was told once");
        assertEquals(List.of("c:one-shot"), received.stream().map(Frame::docKey).toList(), "its frames still count");
    }

    @Test
    void aStreamOnANewConnectionReplacesThePeersOldOne() {
        manager.onStream(new ScriptedStream(1));
        manager.onStream(new ScriptedStream(2, ScriptedStream.openConnection(PEER), false));

        assertEquals(List.of("connected " + PEER, "connected " + PEER + " replacing"), events);
    }

    @Test
    void aFailedStreamIsReplacedByOneThisSideOpens() throws Exception {
        PeerConnection conn = ScriptedStream.openConnection(PEER);
        ScriptedStream outbound = new ScriptedStream(9, conn, true);
        when(conn.openStream()).thenReturn(CompletableFuture.completedFuture(outbound));
        when(conn.closeFuture()).thenReturn(new CompletableFuture<>());
        connections.add(conn);
        ScriptedStream first = new ScriptedStream(1, conn, false);
        manager.onStream(first);

        first.push(new byte[] {0, 0}); // doc_key_len 0: a protocol violation ends the stream

        SyncChannel ch = manager.channel(PEER).orElseThrow();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (events.size() < 2 && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(2); // polling with a deadline
        }
        assertEquals(List.of("connected " + PEER, "connected " + PEER + " replacing"), events);
        assertEquals(ChannelState.CONNECTED, ch.state());
        assertEquals(1, counters(PEER).reconnects.get());
        assertEquals(StreamReader.PROTOCOL_ERROR, first.resetCode.get());
    }

    @Test
    void afterCloseNewStreamsAreRefused() {
        manager.close();
        ScriptedStream s = new ScriptedStream(3);
        manager.onStream(s);
        assertEquals(0, s.resetCode.get());
        assertTrue(manager.isClosed());
        assertEquals(List.of(), events);
    }
}
