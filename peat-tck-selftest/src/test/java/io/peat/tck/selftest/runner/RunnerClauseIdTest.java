package io.peat.tck.selftest.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peat.tck.runner.ClauseId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How the runner reads, orders and selects clause ids. */
class RunnerClauseIdTest {

    @Test
    void partTComesBeforePartSThenNumbersCompareNumerically() {
        List<String> expected = List.of("T1.1", "T3.2", "T3.9", "T3.10", "S1.1", "S1.2", "S4.1");
        List<ClauseId> ids = new ArrayList<>(expected.stream().map(ClauseId::parseSelection).toList());
        Collections.reverse(ids);
        Collections.sort(ids);
        assertEquals(expected, ids.stream().map(ClauseId::toString).toList());
    }

    @Test
    void theClauseIsReadFromTheDisplayNameOrTheMethodName() {
        assertEquals(Optional.of("S2.1"), ClauseId.fromDisplayName("S2.1 DeltaSync reaches the sync arm").map(ClauseId::toString));
        assertEquals(Optional.of("T3.10"), ClauseId.fromMethodName("required_T3_10_concurrentWrites").map(ClauseId::toString));
        assertEquals(Optional.empty(), ClauseId.fromDisplayName("[1] DeltaSync"));
    }

    @Test
    void aSelectionCoversItsGroupButNotANeighbourWithALongerNumber() {
        ClauseId t31 = ClauseId.parseSelection("T3.1");
        assertTrue(t31.isUnder(ClauseId.parseSelection("T3")));
        assertTrue(t31.isUnder(ClauseId.parseSelection("t")));
        assertTrue(t31.isUnder(t31));
        assertFalse(ClauseId.parseSelection("T3.10").isUnder(t31));
        assertFalse(t31.isUnder(ClauseId.parseSelection("S3")));
        assertThrows(IllegalArgumentException.class, () -> ClauseId.parseSelection("3.1"));
    }
}
