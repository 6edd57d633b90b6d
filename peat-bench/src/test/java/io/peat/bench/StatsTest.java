package io.peat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void nearestRankQuantiles() {
        List<Integer> v = List.of(50, 10, 40, 20, 30, 60, 70, 80, 90, 100);
        assertEquals(50, Stats.quantile(v, 0.5));
        assertEquals(100, Stats.quantile(v, 0.99));
        assertEquals(10, Stats.quantile(v, 0.0));
        assertTrue(Double.isNaN(Stats.quantile(List.of(), 0.5)));
    }

    @Test
    void medianWithRange() {
        assertEquals("2.00 (1.00-9.00)", Stats.medianRange(List.of(9.0, 1.0, 2.0), 2));
        assertEquals("7", Stats.medianRange(List.of(7.0), 0));
        assertEquals("-", Stats.medianRange(List.of(), 0));
    }
}
