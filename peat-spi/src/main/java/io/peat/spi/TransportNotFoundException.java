package io.peat.spi;

import java.util.List;

/**
 * No usable transport matched the request: the named one is not on the class path or not
 * available here, or no transport is on the class path at all. The message lists the names that
 * are available and the artifact to add.
 */
public class TransportNotFoundException extends PeatException {
    private static final long serialVersionUID = 1L;

    private final transient List<String> available;

    /**
     * @param requested the name asked for, or {@code null} when none was named
     * @param available the names of the available providers (may be empty)
     */
    public TransportNotFoundException(String requested, List<String> available) {
        this(requested, available, null);
    }

    /**
     * @param requested the name asked for, or {@code null} when none was named
     * @param available the names of the available providers (may be empty)
     * @param unavailableReason why the requested transport, present on the class path, cannot run
     *     here (from {@link SyncTransportProvider#unavailabilityReason()}), or {@code null}
     */
    public TransportNotFoundException(String requested, List<String> available, String unavailableReason) {
        super(unavailableReason == null ? message(requested, available)
                : "sync transport '" + requested + "' is on the class path but cannot run here: " + unavailableReason
                        + " (available: " + (available.isEmpty() ? "none" : String.join(", ", available)) + ")");
        this.available = List.copyOf(available);
    }

    /** @return the names of the providers that are available */
    public List<String> available() {
        return available;
    }

    private static String message(String requested, List<String> available) {
        String have = available.isEmpty() ? "none" : String.join(", ", available);
        String what = requested == null ? "no sync transport is available" : "sync transport '" + requested + "' is not available";
        String fix = requested == null
                ? "add a transport artifact, e.g. io.peat:peat-transport-inmem"
                : "set " + TransportDiscovery.TRANSPORT_PROPERTY + " to one of the available names, or add io.peat:peat-transport-"
                        + requested + " to the class path";
        return what + " (available: " + have + "); " + fix;
    }
}
