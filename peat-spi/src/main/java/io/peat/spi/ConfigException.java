package io.peat.spi;

/** A configuration value is missing or malformed. The message names the key, the value and the fix. */
public class ConfigException extends PeatException {
    private static final long serialVersionUID = 1L;

    /** @param message names the key, the value at fault and the fix */
    public ConfigException(String message) {
        super(message);
    }
}
