package io.peat.bench;

import java.util.Map;
import java.util.TreeMap;

/** The trials a child JVM can run, by name. */
final class Trials {
    private static final Map<String, Trial> ALL = new TreeMap<>(Map.of(
            "shaped", new ShapedTrial(),
            "loopback", new LoopbackTrial(),
            "raw", new RawTrial(),
            "fanout", new FanoutTrial(),
            "reconnect", new ReconnectTrial()));

    private Trials() {
    }

    static Trial get(String name) {
        Trial t = ALL.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no trial named '" + name + "'; the trials are " + ALL.keySet());
        }
        return t;
    }
}
