package io.peat.transport.netty.internal;

import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import java.nio.charset.StandardCharsets;

/**
 * Works around netty-codec-quic 4.2.18: for a CONNECTION_CLOSE with an empty reason phrase, the native
 * side ({@code netty_quic_quiche.c}, {@code to_byte_array}) hands Java {@code null} instead of an empty
 * array, and {@link QuicConnectionCloseEvent#reason()} (documented as "may be empty") then throws
 * {@code NullPointerException} from {@code reason.clone()}. Read straight, the peer's close was lost
 * and reported as a lost connection (code 1) instead of the code it sent. No upstream issue was found
 * for it; {@code NettyEmptyCloseReasonTest} fails once netty returns an empty array, and this class can go.
 *
 * <p>Stateless; called on the connection's event loop.
 */
final class NettyEmptyCloseReason {
    private NettyEmptyCloseReason() {
    }

    /**
     * @param event the peer's close
     * @return its reason phrase, decoded as UTF-8; empty when the peer gave none
     */
    static String reasonOf(QuicConnectionCloseEvent event) {
        byte[] reason;
        try {
            reason = event.reason();
        } catch (NullPointerException noReason) {
            return ""; // the upstream bug: no reason phrase comes through as null
        }
        return new String(reason, StandardCharsets.UTF_8);
    }
}
