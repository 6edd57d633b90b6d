package io.peat.quic;

import io.peat.spi.ConfigException;
import io.peat.spi.PeerId;
import io.peat.spi.TransportConfig;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Reads the identity and the QUIC settings shared by every QUIC transport from a
 * {@link TransportConfig}. Stateless; safe from any thread ({@link #from} does blocking file I/O:
 * call it when the transport is created, not on a transport thread).
 *
 * <table>
 * <caption>Properties</caption>
 * <tr><th>property</th><th>meaning</th></tr>
 * <tr><td>{@value #IDENTITY_DIR}</td><td>directory of a persistent identity ({@link NodeIdentity#loadOrCreate})</td></tr>
 * <tr><td>{@value #IDENTITY_KEY}</td><td>the node's private key, PEM text ({@link NodeIdentity#fromPrivateKeyPem})</td></tr>
 * <tr><td>{@value #IDENTITY_KEY_FILE}</td><td>path of a PEM file holding the node's private key</td></tr>
 * <tr><td>{@value #IDLE_TIMEOUT}</td><td>QUIC max idle timeout, default 5 s</td></tr>
 * <tr><td>{@value #KEEP_ALIVE}</td><td>keep-alive interval, default 1 s</td></tr>
 * <tr><td>{@value #HANDSHAKE_TIMEOUT}</td><td>bound on the TLS handshake and the identity exchange, default 10 s</td></tr>
 * </table>
 */
public final class QuicIdentityConfig {

    /** Property: directory where the identity is kept (created on first start). */
    public static final String IDENTITY_DIR = "quic.identity.dir";
    /** Property: the private key as PEM text. */
    public static final String IDENTITY_KEY = "quic.identity.key";
    /** Property: path of a PEM file with the private key. */
    public static final String IDENTITY_KEY_FILE = "quic.identity.keyFile";
    /** Property: QUIC max idle timeout. */
    public static final String IDLE_TIMEOUT = "quic.idleTimeout";
    /** Property: keep-alive interval. */
    public static final String KEEP_ALIVE = "quic.keepAlive";
    /** Property: handshake (TLS plus identity exchange) timeout. */
    public static final String HANDSHAKE_TIMEOUT = "quic.handshakeTimeout";

    private QuicIdentityConfig() {
    }

    /**
     * The node identity the configuration asks for, first match wins: {@value #IDENTITY_DIR}
     * (load or create a persistent identity there), else {@value #IDENTITY_KEY} (PEM text), else
     * {@value #IDENTITY_KEY_FILE} (PEM file), else a freshly generated ephemeral identity, whose
     * peer id changes at every start.
     *
     * @param config the transport configuration
     * @return the identity
     * @throws ConfigException naming the property or file when a value is blank, unreadable or not
     *     a P-256 key, or when {@link TransportConfig#localPeerId()} is set and differs from the id
     *     derived from the key (a QUIC node's peer id cannot be chosen)
     */
    public static NodeIdentity from(TransportConfig config) {
        NodeIdentity id;
        Optional<String> dir = config.property(IDENTITY_DIR);
        Optional<String> key = config.property(IDENTITY_KEY);
        Optional<String> keyFile = config.property(IDENTITY_KEY_FILE);
        if (dir.isPresent()) {
            id = NodeIdentity.loadOrCreate(path(IDENTITY_DIR, dir.get()));
        } else if (key.isPresent()) {
            if (key.get().isBlank()) {
                throw new ConfigException("property " + IDENTITY_KEY + " is blank; give an ECDSA P-256 private key in PEM"
                        + " (PKCS#8, 'BEGIN PRIVATE KEY') or leave it unset");
            }
            try {
                id = NodeIdentity.fromPrivateKeyPem(key.get());
            } catch (ConfigException e) {
                throw new ConfigException("property " + IDENTITY_KEY + ": " + e.getMessage());
            }
        } else if (keyFile.isPresent()) {
            Path p = path(IDENTITY_KEY_FILE, keyFile.get());
            if (!Files.isReadable(p)) {
                throw new ConfigException("property " + IDENTITY_KEY_FILE + "='" + keyFile.get() + "': no readable file at "
                        + p.toAbsolutePath() + "; give the path of an ECDSA P-256 private key in PEM");
            }
            String pem = NodeIdentity.readFile(p);
            try {
                id = NodeIdentity.fromPrivateKeyPem(pem);
            } catch (ConfigException e) {
                throw new ConfigException("property " + IDENTITY_KEY_FILE + ", file " + p.toAbsolutePath() + ": "
                        + e.getMessage());
            }
        } else {
            id = NodeIdentity.generate();
        }
        Optional<PeerId> configured = config.localPeerId();
        if (configured.isPresent() && !configured.get().equals(id.peerId())) {
            throw new ConfigException("the configured local peer id '" + configured.get() + "' differs from '" + id.peerId()
                    + "', the id derived from this node's key: the peer id of a QUIC node is derived from its key"
                    + " (\"p256-…\") and cannot be chosen; leave the local peer id unset, or set it to " + id.peerId());
        }
        return id;
    }

    /**
     * @param config the transport configuration
     * @return property {@value #IDLE_TIMEOUT}, default {@link QuicConstants#DEFAULT_IDLE_TIMEOUT}
     * @throws ConfigException when the value is not a positive duration
     */
    public static Duration idleTimeout(TransportConfig config) {
        return positive(config, IDLE_TIMEOUT, QuicConstants.DEFAULT_IDLE_TIMEOUT);
    }

    /**
     * @param config the transport configuration
     * @return property {@value #KEEP_ALIVE}, default {@link QuicConstants#DEFAULT_KEEP_ALIVE}
     * @throws ConfigException when the value is not a positive duration
     */
    public static Duration keepAlive(TransportConfig config) {
        return positive(config, KEEP_ALIVE, QuicConstants.DEFAULT_KEEP_ALIVE);
    }

    /**
     * @param config the transport configuration
     * @return property {@value #HANDSHAKE_TIMEOUT}, default {@link QuicConstants#DEFAULT_HANDSHAKE_TIMEOUT}
     * @throws ConfigException when the value is not a positive duration
     */
    public static Duration handshakeTimeout(TransportConfig config) {
        return positive(config, HANDSHAKE_TIMEOUT, QuicConstants.DEFAULT_HANDSHAKE_TIMEOUT);
    }

    private static Duration positive(TransportConfig config, String key, Duration def) {
        Duration d = config.durationProperty(key, def);
        if (d.isNegative() || d.isZero()) {
            throw new ConfigException("property " + key + "='" + config.property(key).orElse("") + "' must be a positive"
                    + " duration; give milliseconds (" + def.toMillis() + "ms) or ISO-8601 (" + def + ")");
        }
        return d;
    }

    private static Path path(String key, String value) {
        if (value.isBlank()) {
            throw new ConfigException("property " + key + " is blank; give a path or leave it unset");
        }
        try {
            return Path.of(value.trim());
        } catch (InvalidPathException e) {
            throw new ConfigException("property " + key + "='" + value + "' is not a valid path: " + e.getMessage());
        }
    }
}
