package io.peat.bench;

import io.peat.sync.DocKey;
import io.peat.sync.RemoteChange;
import io.peat.sync.RemoteChangeListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Emission and arrival times of the new documents going one way: the emitter records when it wrote
 * each, the receiver's {@link RemoteChangeListener} (called on its sync thread) when the document
 * was first applied there. Thread-safe.
 */
final class ArrivalLog implements RemoteChangeListener {
    private final Map<DocKey, Long> emitted = new ConcurrentHashMap<>();
    private final Map<DocKey, Long> arrived = new ConcurrentHashMap<>();

    /** @param key written now, at {@code nanos} */
    void emitted(DocKey key, long nanos) {
        emitted.put(key, nanos);
    }

    /** @param key its write was refused: it is not counted as emitted */
    void refused(DocKey key) {
        emitted.remove(key);
    }

    @Override
    public void onRemoteChange(RemoteChange change) {
        arrived.putIfAbsent(change.key(), change.appliedNanos());
    }

    int emittedCount() {
        return emitted.size();
    }

    /** @return documents emitted that arrived */
    int delivered() {
        int n = 0;
        for (DocKey k : emitted.keySet()) {
            if (arrived.containsKey(k)) {
                n++;
            }
        }
        return n;
    }

    boolean complete() {
        return delivered() == emitted.size();
    }

    /** @return emit-to-arrival of every delivered document, milliseconds */
    List<Double> latenciesMs() {
        List<Double> out = new ArrayList<>();
        emitted.forEach((k, t) -> {
            Long a = arrived.get(k);
            if (a != null) {
                out.add((a - t) / 1e6);
            }
        });
        return out;
    }
}
