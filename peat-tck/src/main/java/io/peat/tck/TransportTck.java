package io.peat.tck;

import io.peat.spi.SyncTransport;
import io.peat.sync.SyncBackend;
import io.peat.sync.SyncConfig;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;

/**
 * The peat-java conformance kit. Subclass it in your transport's tests, return your
 * {@link TransportFixture}, and Surefire runs every clause of {@code peat-tck/CONTRACT.md} against
 * your transport:
 *
 * <pre>{@code
 * class MyTransportTckTest extends TransportTck {
 *     private final TransportFixture fixture = new MyFixture();
 *
 *     @Override
 *     public TransportFixture fixture() {
 *         return fixture;
 *     }
 * }
 * }</pre>
 *
 * <p>Each test is named after its clause ({@code required_T3_1_...}, {@code optional_...}) and its
 * display name carries the clause text. Required clauses cannot be switched off; optional ones are
 * skipped, with the reason, unless the fixture declares their {@link Capability}.
 *
 * <p>Runs on the JUnit test thread; everything a test makes is closed after it, newest first.
 */
@Timeout(300)
public abstract class TransportTck implements TckSupport, ProviderClauses, ConnectionClauses, StreamClauses, FlowControlClauses,
        LifecycleClauses, WireFormatClauses, DispatchClauses, ChannelClauses, ReconnectClauses, MalformedFrameClauses {

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    @Override
    public SyncConfig syncConfig() {
        return SyncConfig.defaults();
    }

    @Override
    public SyncBackend node(String name) throws Exception {
        return node(name, syncConfig());
    }

    @Override
    public SyncBackend node(String name, SyncConfig config) throws Exception {
        SyncBackend b = closeAfter(SyncBackend.builder().transportProvider(fixture().provider()).transportConfig(fixture().config(name))
                .syncConfig(config).build());
        TckWaits.get(b.listen(fixture().bindAddress(name)));
        return b;
    }

    @Override
    public RawEndpoint raw(String name) throws Exception {
        RawEndpoint raw = rawClient(name);
        TckWaits.get(raw.transport().listen(fixture().bindAddress(name)));
        return raw;
    }

    @Override
    public RawEndpoint rawClient(String name) throws Exception {
        RawEndpoint raw = new RawEndpoint();
        SyncTransport t = fixture().provider().create(fixture().config(name), raw);
        raw.bind(t);
        return closeAfter(raw);
    }

    @Override
    public <T extends AutoCloseable> T closeAfter(T resource) {
        resources.push(resource);
        return resource;
    }

    /** Closes everything the test made, newest first; the first failure is rethrown after all are closed. */
    @AfterEach
    void closeResources() throws Exception {
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
        if (fixture() instanceof AutoCloseable closeable) {
            try {
                closeable.close();
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
