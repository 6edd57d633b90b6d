package io.peat.sync.internal.channel;

import io.peat.sync.ChannelState;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.peat.sync.internal.channel.StreamAdoption.Facts;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The adoption rule, case by case (SPEC 3.1). */
class StreamAdoptionTest {
    private static final boolean IN = false;
    private static final boolean OUT = true;

    static Stream<Arguments> table() {
        return Stream.of(
                // direction, state, hasCurrent, currentOpen, currentOutbound, sameConnection, peerIsLower, adopt
                Arguments.of(IN, ChannelState.CONNECTING, false, false, false, false, false, true),
                Arguments.of(IN, ChannelState.RECONNECTING, false, false, false, false, true, true),
                Arguments.of(IN, ChannelState.CLOSED, false, false, false, false, true, false),
                Arguments.of(IN, ChannelState.CONNECTED, false, false, false, false, false, true),
                Arguments.of(IN, ChannelState.CONNECTED, true, false, true, false, false, true),
                Arguments.of(IN, ChannelState.CONNECTED, true, true, true, true, true, true),
                Arguments.of(IN, ChannelState.CONNECTED, true, true, true, true, false, false),
                Arguments.of(IN, ChannelState.CONNECTED, true, true, false, false, false, true),
                Arguments.of(IN, ChannelState.CONNECTED, true, true, false, true, true, false),
                Arguments.of(OUT, ChannelState.CONNECTING, false, false, false, false, false, true),
                Arguments.of(OUT, ChannelState.RECONNECTING, true, false, true, false, true, true),
                Arguments.of(OUT, ChannelState.CLOSED, false, false, false, false, false, false),
                Arguments.of(OUT, ChannelState.CONNECTED, true, true, false, true, false, true),
                Arguments.of(OUT, ChannelState.CONNECTED, true, true, false, true, true, false),
                Arguments.of(OUT, ChannelState.CONNECTED, true, true, true, true, false, false));
    }

    @ParameterizedTest(name = "{index}: outbound={0} {1} current={2} open={3} currentOutbound={4} sameConn={5} peerLower={6} -> {7}")
    @MethodSource("table")
    void decides(boolean outbound, ChannelState state, boolean hasCurrent, boolean open, boolean currentOutbound, boolean same,
            boolean peerIsLower, boolean expected) {
        assertEquals(expected, StreamAdoption.adopt(outbound, new Facts(state, hasCurrent, open, currentOutbound, same), peerIsLower));
    }

    @ParameterizedTest(name = "both ends of a tie agree: the lower id's stream wins (a is lower: {0})")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
    void bothEndsOfATieAgree(boolean aIsLower) {
        // a's stream is a's current (outbound) and arrives at b, where b's own stream is current, and vice versa.
        boolean bKeepsAs = StreamAdoption.adopt(IN, new Facts(ChannelState.CONNECTED, true, true, true, true), aIsLower);
        boolean aKeepsBs = StreamAdoption.adopt(IN, new Facts(ChannelState.CONNECTED, true, true, true, true), !aIsLower);
        assertEquals(aIsLower, bKeepsAs, "b adopts a's stream exactly when a is lower");
        assertEquals(!aIsLower, aKeepsBs, "a adopts b's stream exactly when b is lower");
    }
}
