package io.peat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RepeatedRunsTest {

    @Test
    void decimalsFollowTheValues() {
        assertEquals(0, RepeatedRuns.digits(List.of(3.0, 2001.0)));
        assertEquals(0, RepeatedRuns.digits(List.of(120.5)));
        assertEquals(1, RepeatedRuns.digits(List.of(12.5)));
        assertEquals(2, RepeatedRuns.digits(List.of(0.65, 1.5)));
        assertEquals(2, RepeatedRuns.digits(List.of(0.28)));
        assertEquals(4, RepeatedRuns.digits(List.of(0.0046)));
    }

    @Test
    void aFailedRunEndsTheRepetition() {
        List<Map<String, Object>> results = new ArrayList<>(List.of(Map.of("seconds", 2.5), Map.of("seconds", 1.5),
                Map.of("error", "timeout"), Map.of("seconds", 9.0)));
        Map<String, Object> row = RepeatedRuns.run(Map.of("case", "c", "transport", "t"), 4, List.of("case", "transport"),
                List.of("seconds"), () -> results.remove(0));
        assertEquals("c", row.get("case"));
        assertEquals("1.50 (1.50-2.50)", row.get("seconds"));
        assertEquals(3, row.get("runs"));
        assertEquals(1L, row.get("failed runs"));
        assertEquals("timeout", row.get("error"));
    }
}
