package io.peat.sync.tests;

import static io.peat.sync.tests.Nodes.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peat.sync.BackpressureException;
import io.peat.sync.PeerChannel;
import io.peat.sync.SyncBackend;
import io.peat.sync.SyncConfig;
import io.peat.sync.wire.Frame;
import io.peat.sync.wire.MessageType;
import io.peat.tck.TckWaits;
import io.peat.transport.inmem.LinkShape;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 13: the README's retry protocol (send; on {@link BackpressureException} wait for
 * {@code whenWritable(frame.encodedSize())} and send again) moves a frame as large as the byte bound
 * without spinning. Measured on main before, with a one-byte {@code whenWritable()}: in 3 s, 131
 * frames sent, 87,656 refusals, the wait already complete after every one.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RetryProtocolPinTest {
    private static final int BOUND = 256 << 10;

    private final Nodes nodes = new Nodes();

    @AfterEach
    void close() {
        nodes.close();
    }

    @Test
    void aFrameOfTheByteBoundsSizeGoesAfterOneWaitPerRefusal() throws Exception {
        // A small stream window, so the transport cannot take the queue's frames faster than the link moves them.
        java.util.Map<String, String> window = java.util.Map.of("inmem.streamWindowBytes", String.valueOf(32 << 10));
        SyncBackend a = nodes.node("a", SyncConfig.defaults().withSendQueue(1024, BOUND), window);
        SyncBackend b = nodes.node("b", SyncConfig.defaults(), window);
        nodes.connect(a, b);
        nodes.network().shape(a.peerId(), b.peerId(), LinkShape.rate(1 << 20, 16 << 10)); // the queue drains in about 250 ms
        PeerChannel ch = a.channel(b.peerId()).orElseThrow();
        // Frames of a reserved type: the peer skips them (counted), so only the bytes matter.
        Frame filler = new Frame("pad", MessageType.RESERVED_03.code(), new byte[16 << 10]);
        // Fill until the queue itself is full: the transport's stream window (1 MiB) takes frames first.
        int queued = 0;
        while (true) {
            Throwable refused = a.send(b.peerId(), filler).toCompletableFuture().handle((v, e) -> e).get(30, TimeUnit.SECONDS);
            if (refused == null) {
                queued++;
                assertTrue(queued < 1000, "16 MiB taken without the queue filling");
                continue;
            }
            assertTrue(refused instanceof BackpressureException, refused.toString());
            if (ch.queuedBytes() > BOUND - 2L * filler.encodedSize()) {
                break;
            }
            get(ch.whenWritable(filler.encodedSize()));
        }
        System.out.println("RetryProtocolPinTest: " + queued + " fillers taken, " + ch.queuedBytes() + " bytes queued");
        Frame big = new Frame("pad", MessageType.RESERVED_03.code(), new byte[BOUND - 7 - 3]);
        assertEquals(BOUND, big.encodedSize(), "the frame is exactly the byte bound");

        int refusals = 0;
        int wakeUps = 0;
        while (true) {
            try {
                get(a.send(b.peerId(), big));
                break;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof BackpressureException)) {
                    throw e;
                }
                refusals++;
                get(ch.whenWritable(big.encodedSize()));
                wakeUps++;
            }
        }

        assertTrue(refusals >= 1, "the queue was full: the pin did not test a refusal");
        System.out.println("RetryProtocolPinTest: " + refusals + " refusals, " + wakeUps + " wake-ups");
        assertTrue(wakeUps <= 2, wakeUps + " wake-ups for one frame (" + refusals + " refusals): the retry loop spins");
        TckWaits.await("b skipped the big frame too", () -> b.metrics().peer(a.peerId()).unknownFrames() >= 1,
                () -> b.metrics().peer(a.peerId()).toString());
    }
}
