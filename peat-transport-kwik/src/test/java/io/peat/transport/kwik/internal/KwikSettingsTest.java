package io.peat.transport.kwik.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peat.spi.ConfigException;
import io.peat.spi.TransportConfig;
import io.peat.transport.kwik.KwikProperties;
import org.junit.jupiter.api.Test;

class KwikSettingsTest {

    private static KwikSettings with(String key, String value) {
        return KwikSettings.from(TransportConfig.builder().property(key, value).build());
    }

    @Test
    void theSendRepairIsOnUnlessTurnedOff() {
        assertTrue(KwikSettings.from(TransportConfig.builder().build()).sendRepair());
        assertFalse(with(KwikProperties.SEND_REPAIR, "false").sendRepair());
        assertTrue(with(KwikProperties.SEND_REPAIR, " true ").sendRepair());
    }

    @Test
    void aSendRepairValueThatIsNotABooleanNamesKeyAndValue() {
        ConfigException e = assertThrows(ConfigException.class, () -> with(KwikProperties.SEND_REPAIR, "off"));
        assertTrue(e.getMessage().contains("kwik.sendRepair='off'"), e.getMessage());
    }

    @Test
    void aConnectionWindowSmallerThanTheStreamWindowIsRefused() {
        ConfigException e = assertThrows(ConfigException.class, () -> KwikSettings.from(TransportConfig.builder()
                .property(KwikProperties.STREAM_WINDOW, "1048576").property(KwikProperties.CONNECTION_WINDOW, "65536").build()));
        assertTrue(e.getMessage().contains(KwikProperties.CONNECTION_WINDOW + "=65536"), e.getMessage());
    }
}
