package io.peat.sync.guice;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.OptionalBinder;
import io.peat.spi.SyncTransportProvider;
import io.peat.spi.TransportConfig;
import io.peat.spi.TransportDiscovery;
import io.peat.sync.DocumentStore;
import io.peat.sync.InMemoryDocumentStore;
import io.peat.sync.SyncBackend;
import io.peat.sync.SyncConfig;
import java.util.Objects;

/**
 * Guice wiring for one sync node: an injector built with this module gives a {@link SyncBackend}
 * (singleton, not yet listening) over the transport chosen by {@link TransportDiscovery} from the
 * given {@link TransportConfig} (which may name it; {@code -Dpeat.transport} also works).
 *
 * <p>Swap parts with {@link OptionalBinder} in another module, e.g. a test transport:
 * <pre>{@code
 * OptionalBinder.newOptionalBinder(binder(), SyncTransportProvider.class).setBinding().toInstance(myProvider);
 * }</pre>
 * and likewise {@link DocumentStore} and {@link SyncConfig}. The injector's user closes the backend.
 */
public final class PeatSyncModule extends AbstractModule {
    private final TransportConfig transportConfig;

    /** @param transportConfig the node's transport configuration */
    public PeatSyncModule(TransportConfig transportConfig) {
        this.transportConfig = Objects.requireNonNull(transportConfig, "transportConfig");
    }

    @Override
    protected void configure() {
        bind(TransportConfig.class).toInstance(transportConfig);
        OptionalBinder.newOptionalBinder(binder(), SyncTransportProvider.class).setDefault()
                .toProvider(() -> TransportDiscovery.select(transportConfig));
        OptionalBinder.newOptionalBinder(binder(), DocumentStore.class).setDefault().to(InMemoryDocumentStore.class);
        OptionalBinder.newOptionalBinder(binder(), SyncConfig.class).setDefault().toInstance(SyncConfig.defaults());
    }

    @Provides
    @Singleton
    SyncBackend backend(TransportConfig config, SyncTransportProvider provider, DocumentStore store, SyncConfig syncConfig) {
        return SyncBackend.builder().transportConfig(config).transportProvider(provider).store(store).syncConfig(syncConfig).build();
    }
}
