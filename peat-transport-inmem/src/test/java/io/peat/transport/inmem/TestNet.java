package io.peat.transport.inmem;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.peat.spi.ByteStream;
import io.peat.spi.PeerAddress;
import io.peat.spi.PeerConnection;
import io.peat.spi.PeerId;
import io.peat.spi.SyncTransport;
import io.peat.spi.TransportConfig;
import io.peat.spi.TransportListener;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Test fixture: a fresh, uniquely named network and endpoints on it, closed together. Test thread only. */
final class TestNet implements AutoCloseable {

    static final long WAIT_SECONDS = 10;

    final String name = "test-" + UUID.randomUUID();
    final InMemoryNetwork network = InMemoryNetwork.named(name);
    private final List<Peer> peers = new ArrayList<>();

    /** An endpoint whose listener queues what it is told. */
    final class Peer {
        final PeerId id;
        final BlockingQueue<PeerConnection> connections = new LinkedBlockingQueue<>();
        final BlockingQueue<ByteStream> streams = new LinkedBlockingQueue<>();
        final SyncTransport transport;

        Peer(String id, Map<String, String> props, TransportListener wrapped) {
            this.id = PeerId.of(id + "-" + UUID.randomUUID().toString().substring(0, 8));
            TransportConfig.Builder b = TransportConfig.builder().transportName("inmem").localPeerId(this.id)
                    .property("inmem.network", name);
            props.forEach(b::property);
            TransportListener queueing = new TransportListener() {
                @Override
                public void onConnection(PeerConnection c) {
                    connections.add(c);
                    if (wrapped != null) {
                        wrapped.onConnection(c);
                    }
                }

                @Override
                public void onStream(ByteStream s) {
                    streams.add(s);
                    if (wrapped != null) {
                        wrapped.onStream(s);
                    }
                }
            };
            this.transport = new InMemoryTransportProvider().create(b.build(), queueing);
        }

        PeerAddress listen() {
            return await(transport.listen(PeerAddress.of("addr-" + id)));
        }

        PeerConnection connectTo(Peer other) {
            return await(transport.connect(other.transport.localAddress().orElseThrow(), other.id));
        }

        PeerConnection nextConnection() throws InterruptedException {
            PeerConnection c = connections.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(c, "no inbound connection at " + id);
            return c;
        }

        ByteStream nextStream() throws InterruptedException {
            ByteStream s = streams.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(s, "no inbound stream at " + id);
            return s;
        }
    }

    Peer peer(String id) {
        return peer(id, Map.of(), null);
    }

    Peer peer(String id, Map<String, String> props, TransportListener extra) {
        Peer p = new Peer(id, props, extra);
        peers.add(p);
        return p;
    }

    /** A connected pair: dialer a, listener b, with b's side of the connection. */
    record Pair(Peer a, Peer b, PeerConnection ab, PeerConnection ba) {
    }

    Pair pair(Map<String, String> props) throws InterruptedException {
        Peer a = peer("a", props, null);
        Peer b = peer("b", props, null);
        b.listen();
        PeerConnection ab = a.connectTo(b);
        return new Pair(a, b, ab, b.nextConnection());
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

    /** Waits for the stage to fail and returns the cause. */
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

    /** Reads until the end of stream. */
    static byte[] readAll(ByteStream s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            Optional<ByteBuffer> b = await(s.read());
            if (b.isEmpty()) {
                return out.toByteArray();
            }
            append(out, b.get());
        }
    }

    /** Reads until a read fails; returns the bytes read and the failure. */
    record ReadUntilFailure(byte[] bytes, Throwable failure) {
    }

    static ReadUntilFailure readUntilFailure(ByteStream s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            try {
                Optional<ByteBuffer> b = s.read().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
                if (b.isEmpty()) {
                    throw new AssertionError("clean end of stream after " + out.size() + " bytes; expected a failure");
                }
                append(out, b.get());
            } catch (ExecutionException e) {
                return new ReadUntilFailure(out.toByteArray(), e.getCause());
            } catch (InterruptedException | TimeoutException e) {
                throw new AssertionError("read did not complete in " + WAIT_SECONDS + " s", e);
            }
        }
    }

    static void append(ByteArrayOutputStream out, ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.get(a);
        out.write(a, 0, a.length);
    }

    static byte[] pattern(int n, int seed) {
        byte[] a = new byte[n];
        for (int i = 0; i < n; i++) {
            a[i] = (byte) (i * 31 + seed);
        }
        return a;
    }

    @Override
    public void close() {
        for (Peer p : peers) {
            p.transport.close();
        }
        InMemoryNetwork.remove(name);
    }
}
