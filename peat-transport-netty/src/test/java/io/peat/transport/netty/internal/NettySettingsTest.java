package io.peat.transport.netty.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.quic.QuicCongestionControlAlgorithm;
import io.peat.spi.ConfigException;
import io.peat.spi.TransportConfig;
import io.peat.transport.netty.NettyProperties;
import org.junit.jupiter.api.Test;

class NettySettingsTest {

    @Test
    void congestionControlIsBbrUnlessNamed() {
        assertEquals(QuicCongestionControlAlgorithm.BBR, NettySettings.from(TransportConfig.builder().build()).congestionControl());
        assertEquals(QuicCongestionControlAlgorithm.CUBIC, NettySettings.from(TransportConfig.builder()
                .property(NettyProperties.CONGESTION_CONTROL, " Cubic ").build()).congestionControl());
    }

    @Test
    void anUnknownCongestionControlNamesTheValueAndTheChoices() {
        ConfigException e = assertThrows(ConfigException.class, () -> NettySettings.from(TransportConfig.builder()
                .property(NettyProperties.CONGESTION_CONTROL, "vegas").build()));
        assertTrue(e.getMessage().contains("'vegas'") && e.getMessage().contains("cubic, reno, bbr"), e.getMessage());
    }
}
