package io.peat.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peat.spi.ByteStream;
import io.peat.spi.CloseReason;
import io.peat.spi.PeerAddress;
import io.peat.spi.PeerConnection;
import io.peat.spi.PeerId;
import io.peat.spi.PeerIdentityException;
import io.peat.spi.TransportException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * T2 connections (CONTRACT.md): endpoints listen and dial, both ends know the verified identity of
 * the other (ids of any valid length, T2.9), a wrong pinned identity, an empty or a malformed address
 * fails the dial as a stage (T2.8), and (optionally) the close
 * reason reaches the peer.
 */
public interface ConnectionClauses extends TckSupport {

    @Test
    @DisplayName("T2.1 An endpoint listens, a second one dials it, and the listener is told of the inbound connection")
    default void required_T2_1_listenerIsToldOfInboundConnection() throws Exception {
        RawEndpoint a = raw("a");
        assertTrue(a.transport().localAddress().isPresent(), "a listened at " + fixture().bindAddress("a")
                + " but localAddress() is empty");
        RawEndpoint b = rawClient("b");
        PeerAddress at = address(a.transport());
        PeerConnection atB = StreamIo.done(b.transport().connect(at, a.transport().localPeerId()), "b's dial of a at " + at);
        PeerConnection atA = ConnectedPair.nextConnection(a, "a's listener being told of b's connection (onConnection)");
        assertTrue(atB.isInitiator(), "b dialed, but its connection says isInitiator() false");
        assertFalse(atA.isInitiator(), "a accepted, but its connection says isInitiator() true");
        assertTrue(atB.isOpen(), "b's new connection to a is not open");
        assertTrue(atA.isOpen(), "a's new connection from b is not open");
        assertFalse(atB.closeFuture().toCompletableFuture().isDone(), "b's closeFuture() completed on a new connection: "
                + atB.closeFuture().toCompletableFuture().getNow(null));
    }

    @Test
    @DisplayName("T2.2 Both ends see the verified peer id of the other (remotePeerId()), and each endpoint reports its own id"
            + " (localPeerId())")
    default void required_T2_2_bothEndsSeeEachOthersPeerId() throws Exception {
        ConnectedPair p = ConnectedPair.open(this);
        PeerId a = p.a.transport().localPeerId();
        PeerId b = p.b.transport().localPeerId();
        fixture().config("a").localPeerId().ifPresent(id -> assertEquals(id, a, "endpoint a was configured with peer id " + id
                + " but reports localPeerId() " + a));
        fixture().config("b").localPeerId().ifPresent(id -> assertEquals(id, b, "endpoint b was configured with peer id " + id
                + " but reports localPeerId() " + b));
        assertNotEquals(a, b, "endpoints a and b report the same localPeerId() " + a);
        assertEquals(a, p.atB.remotePeerId(), "the dialer b saw peer id " + p.atB.remotePeerId() + " on its connection, expected"
                + " the listener's id " + a);
        assertEquals(b, p.atA.remotePeerId(), "the listener a saw peer id " + p.atA.remotePeerId() + " on its inbound connection,"
                + " expected the dialer's id " + b);

        ConnectedPair.Streams s = p.openFromB(new byte[] {1});
        assertEquals(b, s.atA().connection().remotePeerId(), "on the stream b opened, a saw peer id "
                + s.atA().connection().remotePeerId() + ", expected " + b);
        assertEquals(a, s.atB().connection().remotePeerId(), "on the stream b opened, b saw peer id "
                + s.atB().connection().remotePeerId() + ", expected " + a);
    }

    @Test
    @DisplayName("T2.3 Dialing with the wrong expected peer id fails with PeerIdentityException, and the listener is told of no"
            + " connection")
    default void required_T2_3_wrongExpectedPeerIdFailsTheDial() throws Exception {
        RawEndpoint a = raw("a");
        RawEndpoint b = rawClient("b");
        PeerAddress at = address(a.transport());
        String real = a.transport().localPeerId().value();
        PeerId wrong = PeerId.of(real.length() < 250 ? real + "-not" : "tck-wrong-peer");
        PeerIdentityException e = StreamIo.fails(b.transport().connect(at, wrong), PeerIdentityException.class,
                "b's dial of " + at + " expecting peer " + wrong + " (the peer there is " + real + ")");
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), "the PeerIdentityException has no message");

        // The right dial next: a's listener must be told of that one first, and of nothing else.
        PeerConnection good = StreamIo.done(b.transport().connect(at, a.transport().localPeerId()), "b's dial of " + at
                + " expecting the right peer " + real + " after the refused dial");
        PeerConnection told = ConnectedPair.nextConnection(a, "a's listener being told of b's second (right) dial");
        assertTrue(told.isOpen(), "the first connection a's listener was told of is closed: it was told of the refused dial");
        ByteStream s = StreamIo.done(good.openStream(), "b's openStream() on the right connection");
        StreamIo.done(s.write(ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII))), "b's write on the right connection");
        ByteStream atA = ConnectedPair.nextStream(a, "a being told of b's stream on the right connection");
        assertSame(told, atA.connection(), "a's listener was told of a connection (" + told + ") that is not the one b's stream"
                + " arrived on (" + atA.connection() + "): it was told of the refused dial");
        try {
            PeerConnection extra = a.nextConnection(Duration.ZERO);
            throw new AssertionError("a's listener was told of a second connection (" + extra + ") for one good dial and one"
                    + " refused dial");
        } catch (TimeoutException expected) {
            // nothing else was reported
        }
    }

    @Test
    @DisplayName("T2.4 Dialing an address where nothing listens fails with a TransportException that names the address")
    default void required_T2_4_dialingNothingFailsNamingTheAddress() throws Exception {
        RawEndpoint gone = raw("gone");
        PeerAddress bound = gone.transport().localAddress().orElseThrow(() -> new AssertionError("endpoint 'gone' listened at "
                + fixture().bindAddress("gone") + " but reports no localAddress()"));
        PeerId goneId = gone.transport().localPeerId();
        gone.close();
        RawEndpoint b = rawClient("b");
        TransportException e = StreamIo.fails(b.transport().connect(bound, goneId), TransportException.class,
                "b's dial of " + bound + ", where nothing listens any more");
        String message = String.valueOf(e.getMessage());
        assertTrue(message.contains(bound.value()), "the dial of " + bound + " failed with a TransportException that does not name"
                + " the address: '" + message + "'");
    }

    @Test
    @DisplayName("T2.5 close(code, reason) reaches the peer: its closeFuture() completes with that code and reason, byPeer true")
    default void optional_T2_5_closeReasonReachesThePeer() throws Exception {
        requireCapability(Capability.CLOSE_REASON_DELIVERED);
        ConnectedPair p = ConnectedPair.open(this);
        p.atB.close(42, "tck: closing on purpose");
        CloseReason atA = StreamIo.done(p.atA.closeFuture(), "a's closeFuture() after b closed the connection with code 42");
        assertEquals(42, atA.code(), "a's closeFuture() has code " + atA.code() + ", b closed with 42 (" + atA + ")");
        assertEquals("tck: closing on purpose", atA.reason(), "a's closeFuture() has reason '" + atA.reason()
                + "', b closed with 'tck: closing on purpose'");
        assertTrue(atA.byPeer(), "a's closeFuture() says byPeer false, but the peer b closed it (" + atA + ")");
        CloseReason atB = StreamIo.done(p.atB.closeFuture(), "b's own closeFuture() after it closed the connection");
        assertFalse(atB.byPeer(), "b closed the connection itself, but its closeFuture() says byPeer true (" + atB + ")");
    }

    @Test
    @DisplayName("T2.6 listen() on an address another endpoint listens at fails with TransportException naming it "
            + "(thrown or as a failed stage), and the first endpoint goes on accepting")
    default void required_T2_6_listenOnAnAddressInUseFails() throws Exception {
        RawEndpoint a = raw("a");
        PeerAddress taken = a.transport().localAddress().orElseThrow(() -> new AssertionError("a listens but has no localAddress()"));
        RawEndpoint c = rawClient("c");
        io.peat.spi.TransportException e = StreamIo.failsOrThrows(() -> c.transport().listen(taken),
                io.peat.spi.TransportException.class, "c's listen() on " + taken + ", where a listens");
        String v = taken.value();
        String named = v.substring(v.lastIndexOf(':') + 1); // the port of host:port, or the whole of a name
        assertTrue(e.getMessage() != null && e.getMessage().contains(named), "c's listen() on " + taken + " failed without naming"
                + " the address: " + e.getMessage());
        RawEndpoint b = rawClient("b");
        PeerAddress at = address(a.transport());
        StreamIo.done(b.transport().connect(at, a.transport().localPeerId()), "b's dial of a after c failed to take a's address");
        ConnectedPair.nextConnection(a, "a being told of b's connection after c failed to take its address");
    }

    /** The close codes T2.7 sends: the ends of the range the SPI promises, and the sync layer's own. */
    long[] CLOSE_CODES = {1, 2, 3, 42, Integer.MAX_VALUE};

    @Test
    @DisplayName("T2.7 Close codes 1, 2, 3, 42 and 2^31-1 with reasons of 1 to 100 UTF-8 bytes (2-, 3- and 4-byte "
            + "characters included), and codes 0 and 7 with an empty reason, reach the peer exactly, one connection each")
    default void optional_T2_7_closeCodesAndReasonsRoundTripAcrossTheirRange() throws Exception {
        requireCapability(Capability.CLOSE_REASON_DELIVERED);
        // 100 bytes of UTF-8: ASCII, 2-byte, 3-byte and 4-byte characters.
        String mixed = "tck \u00e9\u00e8 \u2713\u2192 \ud83d\udd12 ";
        String reason = mixed + "x".repeat(100 - mixed.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        RawEndpoint a = raw("a");
        RawEndpoint b = rawClient("b");
        List<Map.Entry<Long, String>> closes = new ArrayList<>();
        for (long code : CLOSE_CODES) {
            closes.add(Map.entry(code, code == 1 ? "x" : reason));
        }
        closes.add(Map.entry(0L, ""));
        closes.add(Map.entry(7L, ""));
        for (Map.Entry<Long, String> close : closes) {
            long code = close.getKey();
            PeerConnection atB = StreamIo.done(b.transport().connect(address(a.transport()), a.transport().localPeerId()),
                    "b's dial of a before closing with code " + code);
            PeerConnection atA = ConnectedPair.nextConnection(a, "a being told of b's dial before the close with code " + code);
            String said = close.getValue();
            atB.close(code, said);
            CloseReason atAEnd = StreamIo.done(atA.closeFuture(), "a's closeFuture() after b closed with code " + code);
            assertEquals(code, atAEnd.code(), "b closed with code " + code + ", a's closeFuture() has " + atAEnd.code());
            assertEquals(said, atAEnd.reason(), "b closed with code " + code + " and a " + said.length() + "-character reason; a got '"
                    + atAEnd.reason() + "'");
        }
    }

    /**
     * The address texts T2.8 hands to {@code connect()} and {@code listen()}: bad ports, an unclosed
     * bracket, no port, too many colons, a NUL, format characters, non-ASCII and 10,000 characters.
     */
    java.util.List<String> HOSTILE_ADDRESSES = java.util.List.of("127.0.0.1:99999", "127.0.0.1:-1", "[::1", "no-port-here",
            "a:b:c:d", "nul\u0000byte:1", "%s:%d", "\u00e9t\u00e9:1", "x".repeat(10_000));

    @Test
    @DisplayName("T2.8 connect() and listen() given a malformed address return a stage and never throw: connect fails with "
            + "ConfigException or TransportException naming the address, listen binds or fails likewise")
    default void required_T2_8_malformedAddressesFailTheStageNamingThem() throws Exception {
        RawEndpoint b = rawClient("b");
        PeerId someone = raw("a").transport().localPeerId();
        for (String text : HOSTILE_ADDRESSES) {
            PeerAddress bad = PeerAddress.of(text);
            String shown = shown(text);
            CompletionStage<PeerConnection> dial = neverThrows(() -> b.transport().connect(bad, someone), "connect(" + shown + ")");
            io.peat.spi.PeatException e = StreamIo.fails(dial, io.peat.spi.PeatException.class, "connect(" + shown + ")");
            assertAddressError(e, text, "connect(" + shown + ")");

            RawEndpoint c = rawClient("listener");
            CompletionStage<PeerAddress> bind = neverThrows(() -> c.transport().listen(bad), "listen(" + shown + ")");
            try {
                bind.toCompletableFuture().get(TckTimeouts.await().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.ExecutionException failed) {
                Throwable cause = io.peat.spi.internal.CompletionCauses.unwrap(failed);
                if (!(cause instanceof io.peat.spi.PeatException pe)) {
                    throw new AssertionError("listen(" + shown + ") failed with " + cause + ", expected ConfigException or"
                            + " TransportException", cause);
                }
                assertAddressError(pe, text, "listen(" + shown + ")");
            } catch (java.util.concurrent.TimeoutException t) {
                throw new AssertionError("listen(" + shown + ") neither bound nor failed within " + TckTimeouts.await());
            }
            c.close();
        }
    }

    private static <T> CompletionStage<T> neverThrows(java.util.function.Supplier<CompletionStage<T>> op, String what) {
        try {
            CompletionStage<T> stage = op.get();
            if (stage == null) {
                throw new AssertionError(what + " returned null instead of a stage");
            }
            return stage;
        } catch (RuntimeException e) {
            throw new AssertionError(what + " threw " + e + "; a malformed address must fail the returned stage"
                    + " (ConfigException naming it), never be thrown", e);
        }
    }

    private static void assertAddressError(io.peat.spi.PeatException e, String text, String what) {
        assertTrue(e instanceof io.peat.spi.ConfigException || e instanceof TransportException, what + " failed with " + e
                + ", expected ConfigException (malformed) or TransportException (unreachable)");
        String prefix = text.length() <= 64 ? text : text.substring(0, 64);
        assertTrue(e.getMessage() != null && e.getMessage().contains(prefix), what + " failed without naming the address"
                + (text.length() > 64 ? " (its first 64 characters)" : "") + ": " + e.getMessage());
    }

    private static String shown(String text) {
        String s = text.length() <= 40 ? text : text.substring(0, 20) + "... (" + text.length() + " characters)";
        return "'" + s.replace("\u0000", "\\0") + "'";
    }

    @Test
    @DisplayName("T2.9 Peer ids round-trip exactly across their range: endpoints named with 1 character and with 200 "
            + "printable ASCII characters each see the other's localPeerId() as remotePeerId(), on both ends")
    default void required_T2_9_peerIdsRoundTripAcrossTheirRange() throws Exception {
        StringBuilder all = new StringBuilder();
        for (char ch = 0x21; ch < 0x7f; ch++) {
            all.append(ch);
        }
        String longName = all.toString().repeat(3).substring(0, 200);
        RawEndpoint a = raw("q");
        RawEndpoint b = raw(longName);
        for (RawEndpoint[] pair : new RawEndpoint[][] {{a, b}, {b, a}}) {
            RawEndpoint listener = pair[0];
            RawEndpoint dialer = pair[1];
            PeerId listenerId = listener.transport().localPeerId();
            PeerId dialerId = dialer.transport().localPeerId();
            PeerConnection atDialer = StreamIo.done(dialer.transport().connect(address(listener.transport()), listenerId),
                    "the dial of " + abbreviated(listenerId));
            assertEquals(listenerId, atDialer.remotePeerId(), "the dialer " + abbreviated(dialerId) + " saw "
                    + abbreviated(atDialer.remotePeerId()) + ", expected " + abbreviated(listenerId));
            PeerConnection atListener = ConnectedPair.nextConnection(listener, "the listener being told of the dial");
            assertEquals(dialerId, atListener.remotePeerId(), "the listener " + abbreviated(listenerId) + " saw "
                    + abbreviated(atListener.remotePeerId()) + ", expected " + abbreviated(dialerId));
        }
    }

    private static String abbreviated(PeerId id) {
        String v = id.value();
        return v.length() <= 40 ? "'" + v + "'" : "'" + v.substring(0, 30) + "...' (" + v.length() + " characters)";
    }
}
