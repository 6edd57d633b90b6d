package io.peat.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TransportConfigTest {

    private static TransportConfig with(String key, String value) {
        return TransportConfig.builder().property(key, value).build();
    }

    @Test
    void intPropertyParsesAWholeNumber() {
        assertEquals(5000, with("inmem.limit", "5000").intProperty("inmem.limit", 7));
    }

    @Test
    void intPropertyReturnsDefaultWhenUnset() {
        assertEquals(7, TransportConfig.builder().build().intProperty("inmem.limit", 7));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5k", "", "5000ms", "1.5", "99999999999"})
    void intPropertyRejectsNonIntegerNamingKeyAndValue(String bad) {
        ConfigException e = assertThrows(ConfigException.class, () -> with("inmem.limit", bad).intProperty("inmem.limit", 7));

        assertTrue(e.getMessage().contains("inmem.limit"), e.getMessage());
        assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
    }

    @Test
    void durationPropertyParsesBareMilliseconds() {
        assertEquals(Duration.ofSeconds(5), with("t", "5000").durationProperty("t", Duration.ZERO));
    }

    @Test
    void durationPropertyParsesMillisecondsWithSuffix() {
        assertEquals(Duration.ofSeconds(5), with("t", "5000ms").durationProperty("t", Duration.ZERO));
    }

    @Test
    void durationPropertyParsesSecondsMinutesAndHoursWithSuffix() {
        assertEquals(Duration.ofSeconds(5), with("t", "5s").durationProperty("t", Duration.ZERO));
        assertEquals(Duration.ofMinutes(2), with("t", " 2m ").durationProperty("t", Duration.ZERO));
        assertEquals(Duration.ofHours(1), with("t", "1h").durationProperty("t", Duration.ZERO));
    }

    @Test
    void durationPropertyParsesIso8601() {
        assertEquals(Duration.ofSeconds(5), with("t", "PT5S").durationProperty("t", Duration.ZERO));
    }

    @Test
    void durationPropertyReturnsDefaultWhenUnset() {
        assertEquals(Duration.ofMillis(123), TransportConfig.builder().build().durationProperty("t", Duration.ofMillis(123)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5 seconds", "ms", "PT", "5 sec", "-5", "abcms", "s", "xh"})
    void durationPropertyRejectsMalformedValueNamingKeyAndValue(String bad) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> with("quic.idle-timeout", bad).durationProperty("quic.idle-timeout", Duration.ZERO));

        assertTrue(e.getMessage().contains("quic.idle-timeout"), e.getMessage());
        assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
    }

    @Test
    void peerIdRejectsEmpty() {
        assertThrows(IllegalArgumentException.class, () -> PeerId.of(""));
    }

    @Test
    void peerIdRejectsSpace() {
        assertThrows(IllegalArgumentException.class, () -> PeerId.of("node a"));
    }

    @Test
    void peerIdRejectsNonAscii() {
        assertThrows(IllegalArgumentException.class, () -> PeerId.of("n\u00f6de"));
    }

    @Test
    void peerIdRejectsControlCharacter() {
        assertThrows(IllegalArgumentException.class, () -> PeerId.of("node\t1"));
    }

    @Test
    void peerIdRejectsMoreThan255Characters() {
        assertThrows(IllegalArgumentException.class, () -> PeerId.of("a".repeat(256)));
        assertEquals(255, PeerId.of("a".repeat(255)).value().length());
    }

    @Test
    void peerIdCompareToOrdersByValue() {
        PeerId a = PeerId.of("alpha");
        PeerId b = PeerId.of("bravo");
        PeerId b2 = PeerId.of("bravo");

        assertTrue(a.compareTo(b) < 0);
        assertTrue(b.compareTo(a) > 0);
        assertEquals(0, b.compareTo(b2));

        List<PeerId> ids = new ArrayList<>(List.of(PeerId.of("node-3"), PeerId.of("node-1"), PeerId.of("Node-2")));
        Collections.sort(ids);
        // Uppercase ASCII sorts before lowercase: ordering is by the raw string value.
        assertEquals(List.of(PeerId.of("Node-2"), PeerId.of("node-1"), PeerId.of("node-3")), ids);
    }
}
