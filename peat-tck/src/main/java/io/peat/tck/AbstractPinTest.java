package io.peat.tck;

import io.peat.spi.PeerAddress;
import io.peat.spi.SyncTransport;
import io.peat.sync.DocKey;
import io.peat.sync.SyncBackend;
import io.peat.sync.SyncConfig;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.automerge.AmValue;
import org.automerge.ObjectId;
import org.junit.jupiter.api.AfterEach;

/**
 * Shared machinery of the kit's pin classes: makes backends and raw endpoints over the transport
 * under test, closes them after each test, and waits with deadlines. Subclass one of the
 * {@code Abstract...Pins} classes and implement {@link #fixture()}.
 *
 * <p>Runs on the JUnit test thread. Every wait is bounded by {@link TckTimeouts#await()}.
 */
public abstract class AbstractPinTest {
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    /** @return the transport under test */
    protected abstract TransportFixture fixture();

    /** @return the sync limits the kit's backends use (override to test other limits) */
    protected SyncConfig syncConfig() {
        return SyncConfig.defaults();
    }

    /**
     * Makes a listening backend over the transport under test, closed after the test.
     *
     * @param name a node name unique in the test
     * @return the backend
     */
    protected SyncBackend node(String name) throws Exception {
        return node(name, syncConfig());
    }

    /**
     * @param name a node name unique in the test
     * @param config the sync limits
     * @return a listening backend, closed after the test
     */
    protected SyncBackend node(String name, SyncConfig config) throws Exception {
        SyncBackend b = SyncBackend.builder().transportProvider(fixture().provider()).transportConfig(fixture().config(name))
                .syncConfig(config).build();
        resources.push(b);
        get(b.listen(fixture().bindAddress(name)));
        return b;
    }

    /**
     * Makes a bare endpoint (no sync layer), listening, closed after the test.
     *
     * @param name a node name unique in the test
     * @return the endpoint
     */
    protected RawEndpoint raw(String name) throws Exception {
        RawEndpoint raw = new RawEndpoint();
        SyncTransport t = fixture().provider().create(fixture().config(name), raw);
        raw.bind(t);
        resources.push(raw);
        get(t.listen(fixture().bindAddress(name)));
        return raw;
    }

    /**
     * Dials {@code to} from {@code from} and waits for the connection.
     *
     * @param from the dialing node
     * @param to the node dialed
     */
    protected void connect(SyncBackend from, SyncBackend to) throws Exception {
        get(from.connect(address(to.transport()), to.peerId()));
    }

    /**
     * @param t a listening endpoint
     * @return its bound address
     */
    protected static PeerAddress address(SyncTransport t) {
        return t.localAddress().orElseThrow(() -> new AssertionError(t.localPeerId() + " is not listening"));
    }

    /**
     * Waits for a stage, at most {@link TckTimeouts#await()}.
     *
     * @param stage the stage
     * @param <T> its result type
     * @return its result
     */
    protected static <T> T get(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(TckTimeouts.await().toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Polls a condition until it holds, failing after {@link TckTimeouts#await()}.
     *
     * @param what what is awaited, for the failure message
     * @param condition the condition
     */
    protected static void await(String what, BooleanSupplier condition) {
        await(what, condition, () -> "");
    }

    /**
     * @param what what is awaited
     * @param condition the condition
     * @param state describes the state seen, for the failure message
     */
    protected static void await(String what, BooleanSupplier condition, Supplier<String> state) {
        Duration budget = TckTimeouts.await();
        long deadline = System.nanoTime() + budget.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + budget + " waiting for " + what + ". " + state.get());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    /**
     * Writes {@code field = value} at the root of a document.
     *
     * @param node the node
     * @param key the document
     * @param field the field
     * @param value the value
     */
    protected static void put(SyncBackend node, DocKey key, String field, String value) throws Exception {
        get(node.change(key, tx -> tx.set(ObjectId.ROOT, field, value)));
    }

    /**
     * @param node the node
     * @param key the document
     * @param field a root field
     * @return the field's string value, if the document and field exist
     */
    protected static Optional<String> text(SyncBackend node, DocKey key, String field) {
        try {
            return get(node.read(key, d -> d.get(ObjectId.ROOT, field)
                    .filter(v -> v instanceof AmValue.Str).map(v -> ((AmValue.Str) v).getValue()).orElse(null)))
                    .flatMap(Optional::ofNullable);
        } catch (Exception e) {
            throw new AssertionError("reading " + key + " on " + node.peerId() + " failed", e);
        }
    }

    /** Closes everything the test made, newest first. */
    @AfterEach
    protected void closeResources() throws Exception {
        Exception first = null;
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
