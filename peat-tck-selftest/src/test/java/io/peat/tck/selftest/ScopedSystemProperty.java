package io.peat.tck.selftest;

/** A system property set for a scope, and put back as it was (set or unset) when the scope closes. */
final class ScopedSystemProperty implements AutoCloseable {
    private final String key;
    private final String previous;

    private ScopedSystemProperty(String key, String value) {
        this.key = key;
        this.previous = System.setProperty(key, value);
    }

    /**
     * @param key the property
     * @param value its value inside the scope
     * @return restores the previous value when closed
     */
    static ScopedSystemProperty set(String key, String value) {
        return new ScopedSystemProperty(key, value);
    }

    @Override
    public void close() {
        if (previous == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, previous);
        }
    }
}
