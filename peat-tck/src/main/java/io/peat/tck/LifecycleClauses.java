package io.peat.tck;

import static io.peat.tck.Ascii.ascii;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.peat.spi.ByteStream;
import io.peat.spi.PeerAddress;
import io.peat.spi.PeerConnection;
import io.peat.spi.SyncTransport;
import io.peat.spi.TransportListener;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * T5 life cycle (CONTRACT.md): a listener's exception does not stop the endpoint, and a closed
 * endpoint leaves no thread, connection or bound address behind.
 */
public interface LifecycleClauses extends TckSupport {

    @Test
    @DisplayName("T5.1 A listener that throws is isolated: the endpoint goes on accepting connections and streams")
    default void required_T5_1_throwingListenerIsIsolated() throws Exception {
        ThrowsFirst listener = new ThrowsFirst();
        SyncTransport x = closeAfter(fixture().provider().create(fixture().config("x"), listener));
        StreamIo.done(x.listen(fixture().bindAddress("x")), "x's listen at " + fixture().bindAddress("x"));
        RawEndpoint b = rawClient("b");
        PeerAddress at = address(x);

        // First dial: x's listener throws from onConnection. The dial may succeed or that one connection may be closed.
        StreamIo.done(b.transport().connect(at, x.localPeerId()).handle((c, e) -> null), "b's first dial of x");
        TckWaits.await("x's listener to be told of b's first connection (it throws)", () -> listener.connectionCalls.get() >= 1);

        PeerConnection atB = StreamIo.done(b.transport().connect(at, x.localPeerId()), "b's second dial of x, after x's listener"
                + " threw from onConnection for the first");
        PeerConnection atX = listener.connections.poll(TckTimeouts.await().toMillis(), TimeUnit.MILLISECONDS);
        if (atX == null) {
            throw new AssertionError("x's listener was not told of b's second connection within " + TckTimeouts.await()
                    + " after it threw from onConnection for the first: the endpoint stopped accepting connections");
        }

        // First stream: x's listener throws from onStream. The stream may be reset.
        ByteStream first = StreamIo.done(atB.openStream(), "b's first openStream() to x");
        first.write(ByteBuffer.wrap(ascii("first")));
        TckWaits.await("x's listener to be told of b's first stream (it throws)", () -> listener.streamCalls.get() >= 1);

        ByteStream second = StreamIo.done(atB.openStream(), "b's second openStream() to x, after x's listener threw from onStream");
        StreamIo.done(second.write(ByteBuffer.wrap(ascii("second"))), "b's write on its second stream to x");
        ByteStream atX2 = listener.streams.poll(TckTimeouts.await().toMillis(), TimeUnit.MILLISECONDS);
        if (atX2 == null) {
            throw new AssertionError("x's listener was not told of b's second stream within " + TckTimeouts.await() + " after it"
                    + " threw from onStream for the first: the endpoint stopped accepting streams");
        }
        assertEquals("second", new String(ConnectedPair.readExactly(atX2, 6, "x's read on b's second stream"),
                StandardCharsets.US_ASCII), "the bytes x read on b's second stream");
        StreamIo.done(atX2.write(ByteBuffer.wrap(ascii("reply"))), "x's reply on b's second stream");
        assertEquals("reply", new String(ConnectedPair.readExactly(second, 5, "b's read of x's reply"), StandardCharsets.US_ASCII),
                "the bytes b read from x after x's listener threw");
    }

    @Test
    @DisplayName("T5.2 Nothing leaks after close(): no thread the transport started is left running, its connections are closed,"
            + " and its address can be bound again")
    default void required_T5_2_nothingLeaksAfterClose() throws Exception {
        ThreadSnapshot before = ThreadSnapshot.take();
        PeerAddress bindAddress = fixture().bindAddress("reuse");
        RawEndpoint a = raw("reuse");
        RawEndpoint b = rawClient("b");
        PeerAddress bound = a.transport().localAddress().orElseThrow(() -> new AssertionError("endpoint 'reuse' listened at "
                + bindAddress + " but reports no localAddress()"));
        PeerConnection atB = StreamIo.done(b.transport().connect(bound, a.transport().localPeerId()), "b's dial of " + bound);
        PeerConnection atA = ConnectedPair.nextConnection(a, "a's listener being told of b's connection");
        ByteStream sb = StreamIo.done(atB.openStream(), "b's openStream()");
        StreamIo.done(sb.write(ByteBuffer.wrap(ascii("ping"))), "b's write");
        ByteStream sa = ConnectedPair.nextStream(a, "a being told of b's stream");
        ConnectedPair.readExactly(sa, 4, "a's read of b's bytes");
        StreamIo.done(sa.write(ByteBuffer.wrap(ascii("pong"))), "a's reply");
        ConnectedPair.readExactly(sb, 4, "b's read of a's reply");

        a.close();
        b.close();

        assertFalse(atA.isOpen(), "after both endpoints closed, a's connection from b still says isOpen()");
        assertFalse(atB.isOpen(), "after both endpoints closed, b's connection to a still says isOpen()");
        StreamIo.done(atA.closeFuture(), "a's closeFuture() after a closed");
        StreamIo.done(atB.closeFuture(), "b's closeFuture() after b closed");
        TckWaits.await("every thread the transport started to end after close() of both endpoints",
                () -> before.newThreads().isEmpty(), () -> "Threads started since the endpoints were created and still alive"
                        + " (leaked): " + before.describeNewThreads());

        RawEndpoint again = rawClient("reuse");
        PeerAddress rebound = StreamIo.done(again.transport().listen(bindAddress), "a new endpoint's listen at " + bindAddress
                + ", where the closed endpoint listened");
        RawEndpoint c = rawClient("c");
        StreamIo.done(c.transport().connect(rebound, again.transport().localPeerId()), "a dial of the new endpoint at " + rebound);
        ConnectedPair.nextConnection(again, "the new endpoint at " + rebound + " being told of a connection");
    }

    /** A listener that throws from its first onConnection and its first onStream, and queues the later ones. */
    final class ThrowsFirst implements TransportListener {
        final AtomicInteger connectionCalls = new AtomicInteger();
        final AtomicInteger streamCalls = new AtomicInteger();
        final BlockingQueue<PeerConnection> connections = new LinkedBlockingQueue<>();
        final BlockingQueue<ByteStream> streams = new LinkedBlockingQueue<>();

        @Override
        public void onConnection(PeerConnection connection) {
            if (connectionCalls.getAndIncrement() == 0) {
                throw new IllegalStateException("tck: this listener throws from its first onConnection on purpose");
            }
            connections.add(connection);
        }

        @Override
        public void onStream(ByteStream stream) {
            if (streamCalls.getAndIncrement() == 0) {
                throw new IllegalStateException("tck: this listener throws from its first onStream on purpose");
            }
            streams.add(stream);
        }
    }
}
