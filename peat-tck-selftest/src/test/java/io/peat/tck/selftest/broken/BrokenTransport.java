package io.peat.tck.selftest.broken;

import io.peat.spi.ConfigException;
import io.peat.spi.PeerAddress;
import io.peat.spi.PeerConnection;
import io.peat.spi.PeerId;
import io.peat.spi.SyncTransport;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * An in-memory endpoint whose connections and streams come out wrapped by its {@link Breakage}.
 * Listening and closing the endpoint are passed on unchanged (so the kit can always clean up), except
 * under {@link Breakage#LISTEN_ON_ADDRESS_IN_USE} and {@link Breakage#THROW_ON_MALFORMED_ADDRESS}.
 */
final class BrokenTransport implements SyncTransport {
    private final SyncTransport delegate;
    private final EndpointWrapper endpoint;
    private final String name;

    BrokenTransport(SyncTransport delegate, EndpointWrapper endpoint, String name) {
        this.delegate = delegate;
        this.endpoint = endpoint;
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public PeerId localPeerId() {
        return delegate.localPeerId();
    }

    @Override
    public CompletionStage<PeerAddress> listen(PeerAddress bindAddress) {
        checkEagerly(bindAddress);
        if (endpoint.breakage() == Breakage.LISTEN_ON_ADDRESS_IN_USE) {
            // Breaks T2.6: an address in use is reported as bound (the caller believes it listens; nobody can reach it).
            return delegate.listen(bindAddress).exceptionally(e -> bindAddress);
        }
        return delegate.listen(bindAddress);
    }

    @Override
    public Optional<PeerAddress> localAddress() {
        return delegate.localAddress();
    }

    @Override
    public CompletionStage<PeerConnection> connect(PeerAddress address, PeerId expectedPeer) {
        checkEagerly(address);
        return delegate.connect(address, expectedPeer).thenApply(endpoint::connection);
    }

    /** Breaks T2.8: a parser that validates on the caller's thread and throws. */
    private void checkEagerly(PeerAddress address) {
        String v = address.value();
        if (endpoint.breakage() == Breakage.THROW_ON_MALFORMED_ADDRESS && (v.indexOf('\0') >= 0 || v.length() > 255)) {
            throw new ConfigException("malformed address '" + v + "': no NUL, at most 255 characters");
        }
    }

    @Override
    public CompletionStage<Void> closeAsync() {
        return delegate.closeAsync();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
