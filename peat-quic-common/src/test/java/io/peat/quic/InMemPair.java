package io.peat.quic;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.peat.spi.ByteStream;
import io.peat.spi.PeerAddress;
import io.peat.spi.PeerConnection;
import io.peat.spi.PeerId;
import io.peat.spi.SyncTransport;
import io.peat.spi.TransportConfig;
import io.peat.spi.TransportListener;
import io.peat.transport.inmem.InMemoryNetwork;
import io.peat.transport.inmem.InMemoryTransportProvider;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Two in-memory endpoints on a fresh network, dialer connected to acceptor. Test thread only. */
final class InMemPair implements AutoCloseable {
    static final long WAIT_SECONDS = 10;

    final String network = "quic-identity-" + UUID.randomUUID();
    final BlockingQueue<ByteStream> acceptorStreams = new LinkedBlockingQueue<>();
    final SyncTransport dialer;
    final SyncTransport acceptor;
    final PeerConnection connection;

    InMemPair() {
        dialer = endpoint("dialer", null);
        acceptor = endpoint("acceptor", acceptorStreams);
        PeerAddress addr = await(acceptor.listen(PeerAddress.of("acceptor-" + network)));
        connection = await(dialer.connect(addr, acceptor.localPeerId()));
    }

    private SyncTransport endpoint(String name, BlockingQueue<ByteStream> streams) {
        TransportConfig c = TransportConfig.builder().transportName("inmem")
                .localPeerId(PeerId.of(name + "-" + UUID.randomUUID().toString().substring(0, 8)))
                .property("inmem.network", network).build();
        return new InMemoryTransportProvider().create(c, new TransportListener() {
            @Override
            public void onConnection(PeerConnection connection) {
            }

            @Override
            public void onStream(ByteStream stream) {
                if (streams != null) {
                    streams.add(stream);
                }
            }
        });
    }

    /** Opens a new stream on the dialer's side. */
    ByteStream open() {
        return await(connection.openStream());
    }

    /** The next stream the dialer opened, on the acceptor's side (it appears once the dialer wrote). */
    ByteStream acceptorStream() throws InterruptedException {
        ByteStream s = acceptorStreams.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(s, "no inbound stream at the acceptor");
        return s;
    }

    static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("stage failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("stage did not complete in " + WAIT_SECONDS + " s", e);
        }
    }

    static Throwable failure(CompletionStage<?> stage) {
        try {
            Object v = stage.toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
            throw new AssertionError("expected a failure, got " + v);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("stage did not complete in " + WAIT_SECONDS + " s", e);
        }
    }

    /** Blocking reader for hand-written protocol steps in tests. */
    static final class Wire {
        private final ByteStream s;
        private ByteBuffer buf = ByteBuffer.allocate(0);

        Wire(ByteStream s) {
            this.s = s;
        }

        byte[] read(int n) {
            while (buf.remaining() < n) {
                Optional<ByteBuffer> c = await(s.read());
                if (c.isEmpty()) {
                    throw new AssertionError("end of stream with " + buf.remaining() + " of " + n + " bytes");
                }
                ByteBuffer m = ByteBuffer.allocate(buf.remaining() + c.get().remaining());
                m.put(buf).put(c.get()).flip();
                buf = m;
            }
            byte[] out = new byte[n];
            buf.get(out);
            return out;
        }

        /** Resets the stream, as a dialer that read a refusal does. */
        void reset() {
            s.reset(1);
        }

        void write(byte[] b) {
            await(s.write(ByteBuffer.wrap(b)));
        }

        void writeByteByByte(byte[] b) {
            for (byte x : b) {
                await(s.write(ByteBuffer.wrap(new byte[] {x})));
            }
        }
    }

    static byte[] hello(byte[] spki, PeerId dialer, PeerId acceptor) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes("PEATID".getBytes());
        o.write(1);
        o.write(spki.length >> 8);
        o.write(spki.length);
        o.writeBytes(spki);
        o.write(dialer.value().length());
        o.writeBytes(dialer.value().getBytes());
        o.write(acceptor.value().length());
        o.writeBytes(acceptor.value().getBytes());
        return o.toByteArray();
    }

    static byte[] proof(byte[] sig) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write(sig.length >> 8);
        o.write(sig.length);
        o.writeBytes(sig);
        return o.toByteArray();
    }

    @Override
    public void close() {
        dialer.close();
        acceptor.close();
        InMemoryNetwork.remove(network);
    }
}
