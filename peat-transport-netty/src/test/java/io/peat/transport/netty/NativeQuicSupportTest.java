package io.peat.transport.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peat.transport.netty.internal.NativeQuicSupport;
import org.junit.jupiter.api.Test;

class NativeQuicSupportTest {

    @Test
    void providerIsAvailableHere() {
        NettyTransportProvider p = new NettyTransportProvider();
        assertEquals("netty", p.name());
        assertEquals(10, p.priority());
        assertTrue(p.isAvailable(), "Netty's native QUIC library should load on this machine");
    }

    @Test
    void classifiersOfEveryDeclaredPlatform() {
        assertEquals("linux-x86_64", NativeQuicSupport.classifier("Linux", "amd64"));
        assertEquals("linux-aarch_64", NativeQuicSupport.classifier("Linux", "aarch64"));
        assertEquals("osx-x86_64", NativeQuicSupport.classifier("Mac OS X", "x86_64"));
        assertEquals("osx-aarch_64", NativeQuicSupport.classifier("Mac OS X", "aarch64"));
        assertEquals("windows-x86_64", NativeQuicSupport.classifier("Windows 11", "amd64"));
        assertNull(NativeQuicSupport.classifier("FreeBSD", "amd64"));
        assertNull(NativeQuicSupport.classifier("Linux", "riscv64"));
    }

    @Test
    void unavailableMessageNamesPlatformClassifierAndCause() {
        String m = NativeQuicSupport.unavailableMessage("Linux", "aarch64", new UnsatisfiedLinkError("no quiche in java.library.path"));
        assertTrue(m.contains("Linux/aarch64"), m);
        assertTrue(m.contains("io.netty:netty-codec-native-quic:4.2.18.Final:linux-aarch_64"), m);
        assertTrue(m.contains("no quiche in java.library.path"), m);

        String none = NativeQuicSupport.unavailableMessage("SunOS", "sparcv9", null);
        assertTrue(none.contains("SunOS/sparcv9") && none.contains("use another transport"), none);
    }
}
