package io.peat.tck;

import io.peat.spi.ByteStream;
import io.peat.spi.PeerConnection;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeoutException;

/**
 * Two bare endpoints of the transport under test joined by one connection: {@code a} listens,
 * {@code b} dials it. Both are closed after the test. Used on the test thread.
 */
final class ConnectedPair {
    /** The listening endpoint. */
    final RawEndpoint a;
    /** The dialing endpoint. */
    final RawEndpoint b;
    /** b's end of the connection (the initiator). */
    final PeerConnection atB;
    /** a's end of the connection, as a's listener was told of it. */
    final PeerConnection atA;

    private ConnectedPair(RawEndpoint a, RawEndpoint b, PeerConnection atB, PeerConnection atA) {
        this.a = a;
        this.b = b;
        this.atB = atB;
        this.atA = atA;
    }

    /**
     * @param kit the kit
     * @return a listening endpoint "a" and an endpoint "b" connected to it
     */
    static ConnectedPair open(TckSupport kit) throws Exception {
        RawEndpoint a = kit.raw("a");
        RawEndpoint b = kit.rawClient("b");
        PeerConnection atB = StreamIo.done(b.transport().connect(kit.address(a.transport()), a.transport().localPeerId()),
                "b's dial of a at " + kit.address(a.transport()));
        PeerConnection atA = nextConnection(a, "a's listener being told of b's connection");
        return new ConnectedPair(a, b, atB, atA);
    }

    /**
     * @param end an endpoint
     * @param what what is awaited
     * @return the next inbound connection it was told of
     */
    static PeerConnection nextConnection(RawEndpoint end, String what) throws InterruptedException {
        try {
            return end.nextConnection(TckTimeouts.await());
        } catch (TimeoutException e) {
            throw new AssertionError(what + " did not happen within " + TckTimeouts.await() + ": " + e.getMessage());
        }
    }

    /**
     * @param end an endpoint
     * @param what what is awaited
     * @return the next stream a peer opened toward it (onStream)
     */
    static ByteStream nextStream(RawEndpoint end, String what) throws InterruptedException {
        try {
            return end.nextStream(TckTimeouts.await());
        } catch (TimeoutException e) {
            throw new AssertionError(what + " did not happen within " + TckTimeouts.await() + ": " + e.getMessage());
        }
    }

    /**
     * Opens a stream at b, writes {@code first} on it and takes a's side of it once a is told of it.
     *
     * @param first the first bytes (at least one)
     * @return b's and a's side of the new stream
     */
    Streams openFromB(byte[] first) throws InterruptedException {
        ByteStream sb = StreamIo.done(atB.openStream(), "b's openStream()");
        StreamIo.done(sb.write(ByteBuffer.wrap(first.clone())), "b's first write on its new stream");
        ByteStream sa = nextStream(a, "a's listener being told of the stream b opened and wrote " + first.length + " bytes on");
        return new Streams(sb, sa);
    }

    /**
     * Reads exactly {@code n} bytes (possibly over several reads).
     *
     * @param s the stream
     * @param n bytes wanted
     * @param what whose read
     * @return the bytes
     */
    static byte[] readExactly(ByteStream s, int n, String what) {
        byte[] out = new byte[n];
        int got = 0;
        while (got < n) {
            java.util.Optional<ByteBuffer> chunk = StreamIo.done(s.read(), what + " (after " + got + " of " + n + " bytes)");
            if (chunk.isEmpty()) {
                throw new AssertionError(what + ": the stream ended after " + got + " of " + n + " bytes");
            }
            ByteBuffer c = chunk.get();
            if (c.remaining() > n - got) {
                throw new AssertionError(what + ": a read returned " + c.remaining() + " bytes, but only " + (n - got)
                        + " more were written");
            }
            int k = c.remaining();
            c.get(out, got, k);
            got += k;
        }
        return out;
    }

    /**
     * Both sides of one stream.
     *
     * @param atB b's side (the opener)
     * @param atA a's side
     */
    record Streams(ByteStream atB, ByteStream atA) {
    }
}
