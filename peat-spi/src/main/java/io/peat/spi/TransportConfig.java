package io.peat.spi;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Immutable configuration of one transport endpoint: which transport to use, the local peer id
 * (for transports whose identity is given rather than derived from a key) and string properties
 * that each transport documents under its own prefix (for example {@code inmem.network}).
 * Safe to share between threads.
 */
public final class TransportConfig {

    private final String transportName;
    private final PeerId localPeerId;
    private final Map<String, String> properties;

    private TransportConfig(Builder b) {
        this.transportName = b.transportName;
        this.localPeerId = b.localPeerId;
        this.properties = Map.copyOf(b.properties);
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the transport explicitly named by the user, if any */
    public Optional<String> transportName() {
        return Optional.ofNullable(transportName);
    }

    /** @return the configured local peer id, if any */
    public Optional<PeerId> localPeerId() {
        return Optional.ofNullable(localPeerId);
    }

    /** @return every property, unmodifiable */
    public Map<String, String> properties() {
        return properties;
    }

    /**
     * @param key the property key
     * @return the property's value, if set
     */
    public Optional<String> property(String key) {
        return Optional.ofNullable(properties.get(key));
    }

    /**
     * @param key the property key
     * @param defaultValue the value when the property is not set
     * @return the property as an int
     * @throws ConfigException naming the key and the value when it is not an integer
     */
    public int intProperty(String key, int defaultValue) {
        String v = properties.get(key);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException("property " + key + "='" + v + "' is not an integer; give a whole number such as "
                    + defaultValue);
        }
    }

    /**
     * @param key the property key
     * @param defaultValue the value when the property is not set
     * @return the property as a duration: milliseconds ({@code 5000ms}, {@code 5000}), seconds,
     *     minutes or hours ({@code 5s}, {@code 2m}, {@code 1h}) or ISO-8601 ({@code PT5S})
     * @throws ConfigException naming the key and the value when it is not a duration
     */
    public Duration durationProperty(String key, Duration defaultValue) {
        String v = properties.get(key);
        if (v == null) {
            return defaultValue;
        }
        String t = v.trim();
        try {
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).trim()));
            }
            if (t.length() > 1 && "smh".indexOf(t.charAt(t.length() - 1)) >= 0 && Character.isDigit(t.charAt(t.length() - 2))) {
                long n = Long.parseLong(t.substring(0, t.length() - 1).trim());
                return switch (t.charAt(t.length() - 1)) {
                    case 's' -> Duration.ofSeconds(n);
                    case 'm' -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                };
            }
            if (t.chars().allMatch(Character::isDigit)) {
                return Duration.ofMillis(Long.parseLong(t));
            }
            return Duration.parse(t);
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new ConfigException("property " + key + "='" + v + "' is not a duration; give 5000 or 5000ms"
                    + " (milliseconds), 5s, 2m, 1h, or ISO-8601 (PT5S)");
        }
    }

    @Override
    public String toString() {
        return "TransportConfig[transport=" + transportName + ", peer=" + localPeerId + ", properties=" + properties + "]";
    }

    /** Builds a {@link TransportConfig}. Not thread-safe. */
    public static final class Builder {
        private String transportName;
        private PeerId localPeerId;
        private final Map<String, String> properties = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * @param name the transport to use, overriding discovery by priority (null to discover)
         * @return this builder
         */
        public Builder transportName(String name) {
            this.transportName = name;
            return this;
        }

        /**
         * @param peerId the local peer id, for transports whose identity is configured
         * @return this builder
         */
        public Builder localPeerId(PeerId peerId) {
            this.localPeerId = peerId;
            return this;
        }

        /**
         * @param key a property key, documented by the transport
         * @param value its value
         * @return this builder
         */
        public Builder property(String key, String value) {
            properties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** @return the configuration */
        public TransportConfig build() {
            return new TransportConfig(this);
        }
    }
}
