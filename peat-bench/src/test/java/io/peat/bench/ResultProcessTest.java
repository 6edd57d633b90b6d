package io.peat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ResultProcessTest {

    @Test
    void readsTheResultLine() {
        Map<String, Object> r = ResultProcess.run(new ProcessBuilder("sh", "-c", "echo progress; echo 'RESULT {\"seconds\":1.5}'"),
                Duration.ofSeconds(30), "sh");
        assertEquals(Map.of("seconds", 1.5), r);
    }

    @Test
    void noResultLineIsAnError() {
        Map<String, Object> r = ResultProcess.run(new ProcessBuilder("sh", "-c", "exit 3"), Duration.ofSeconds(30), "sh");
        assertEquals("the child exited with 3 and no result", r.get("error"));
    }

    @Test
    void aProcessOutlivingItsLimitIsKilledWithWhatItStarted() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        OptionalInt exit = ResultProcess.exec(new ProcessBuilder("sh", "-c", "sleep 60 & echo $!; wait"), Duration.ofMillis(500),
                lines::add);
        assertTrue(exit.isEmpty());
        long grandchild = Long.parseLong(lines.get(0));
        ProcessHandle.of(grandchild).ifPresent(h -> h.onExit().join());
        assertFalse(ProcessHandle.of(grandchild).map(ProcessHandle::isAlive).orElse(false));
    }
}
