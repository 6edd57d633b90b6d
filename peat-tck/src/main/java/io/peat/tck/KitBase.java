package io.peat.tck;

import io.peat.spi.SyncTransport;
import io.peat.sync.SyncBackend;
import io.peat.sync.SyncConfig;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.AfterEach;

/**
 * What {@link TransportTck} and {@link InteropTck} share: endpoints and backends made from the
 * fixture, node by node ({@link TransportFixture#provider(String)}), and closed after each test,
 * newest first, then the fixture itself when it is {@link AutoCloseable}.
 *
 * <p>Not part of the kit's API: subclass {@code TransportTck} or {@code InteropTck}. Used on the
 * JUnit test thread.
 */
abstract class KitBase implements TckSupport {

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
        TransportFixture f = fixture();
        SyncBackend b = closeAfter(SyncBackend.builder().transportProvider(f.provider(name)).transportConfig(f.config(name))
                .syncConfig(config).build());
        TckWaits.get(b.listen(f.bindAddress(name)));
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
        SyncTransport t = fixture().provider(name).create(fixture().config(name), raw);
        raw.bind(t);
        return closeAfter(raw);
    }

    @Override
    public <T extends AutoCloseable> T closeAfter(T resource) {
        resources.push(resource);
        return resource;
    }

    /** Closes everything the test made, newest first, then the fixture; the first failure is rethrown after all are closed. */
    @AfterEach
    void closeResources() throws Exception {
        Exception first = null;
        while (!resources.isEmpty()) {
            first = closeQuietly(resources.pop(), first);
        }
        if (fixture() instanceof AutoCloseable closeable) {
            first = closeQuietly(closeable, first);
        }
        if (first != null) {
            throw first;
        }
    }

    private static Exception closeQuietly(AutoCloseable c, Exception first) {
        try {
            c.close();
            return first;
        } catch (Exception e) {
            return first == null ? e : first;
        }
    }
}
