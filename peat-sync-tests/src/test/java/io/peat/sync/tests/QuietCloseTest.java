package io.peat.sync.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.peat.sync.DocKey;
import io.peat.sync.SyncBackend;
import io.peat.sync.wire.MessageType;
import io.peat.tck.TckWaits;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.automerge.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 10, fault 7: a node that closes while a peer floods it with frames logs no WARN or ERROR
 * line (the old reader logged an ERROR for every chunk that arrived after the close: 15,002 lines).
 * Counts what slf4j-simple writes to {@code System.err} from the closing node's threads.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class QuietCloseTest {
    private final Nodes nodes = new Nodes();

    @AfterEach
    void close() {
        nodes.close();
    }

    @Test
    void closingUnderAFloodLogsNoWarningOrError() throws Exception {
        SyncBackend a = nodes.node("a");
        SyncBackend b = nodes.node("b");
        nodes.connect(b, a);
        // b floods a: changes it does not wait for, to many documents.
        CompletableFuture<?>[] writes = new CompletableFuture<?>[2000];
        for (int i = 0; i < writes.length; i++) {
            int n = i;
            writes[i] = b.change(DocKey.of("flood", "doc-" + (n % 400)), tx -> tx.set(ObjectId.ROOT, "n", n)).toCompletableFuture();
        }
        TckWaits.await("a is receiving the flood", () -> a.metrics().peer(b.peerId()).received(MessageType.DELTA_SYNC) > 100);

        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            a.close();
            CompletableFuture.allOf(writes).exceptionally(x -> null).get(60, TimeUnit.SECONDS);
            TckWaits.await("b saw a go", () -> !b.hasPersistentSyncChannel(a.peerId()));
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        List<String> loud = Arrays.stream(log.split("\n"))
                .filter(l -> l.contains("-a]") || l.contains("-a-"))
                .filter(l -> l.contains(" WARN ") || l.contains(" ERROR "))
                .collect(Collectors.toList());
        assertEquals(List.of(), loud.subList(0, Math.min(5, loud.size())), loud.size() + " WARN/ERROR lines from a's threads");
    }
}
