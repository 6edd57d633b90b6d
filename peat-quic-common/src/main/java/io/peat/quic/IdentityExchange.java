package io.peat.quic;

import io.peat.spi.ByteStream;
import io.peat.spi.PeatException;
import io.peat.spi.PeerAddress;
import io.peat.spi.PeerConnection;
import io.peat.spi.PeerId;
import io.peat.spi.ProtocolViolationException;
import io.peat.spi.TransportException;
import io.peat.spi.internal.CompletionCauses;
import io.peat.spi.internal.DaemonThreadFactory;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The in-band identity proof by which the acceptor of a QUIC connection learns and verifies the
 * dialer's peer id. It runs on the first bidirectional stream the dialer opens on a new
 * connection, before anything else, over the SPI {@link ByteStream}: every QUIC backend wraps its
 * native stream and calls the same code, so the bytes are the same everywhere (they are specified
 * in {@code IDENTITY.md} next to this module).
 *
 * <pre>
 * dialer -&gt; acceptor  HELLO      "PEATID" u8 version=1, u16 spki_len, spki, u8 len, dialer id, u8 len, acceptor id
 * acceptor -&gt; dialer  CHALLENGE  u8 status=0, 32-byte nonce     | u8 status!=0, u16 reason_len, UTF-8 reason
 * dialer -&gt; acceptor  PROOF      u16 sig_len, SHA256withECDSA(DER) over {@link #signedMessage}
 * acceptor -&gt; dialer  RESULT     u8 status=0                    | u8 status!=0, u16 reason_len, UTF-8 reason
 * then the acceptor finishes its direction; the dialer finishes its own once it has read RESULT = 0.
 * </pre>
 *
 * <p>The dialer must already have pinned the acceptor's TLS certificate
 * ({@link CertificatePinning#verifyPinned}); the acceptor checks that the HELLO names it, that the
 * dialer's id is the one derived from the dialer's key, and that the signature over its fresh nonce
 * and both ids verifies. A proof therefore cannot be relayed to another acceptor or replayed.
 *
 * <p>Failures: the side that finds a fault in the other's bytes completes with
 * {@link ProtocolViolationException} (malformed bytes, oversize lengths) or
 * {@link IdentityProofException} (a {@link io.peat.spi.PeerIdentityException}: wrong acceptor,
 * id not derived from the key, bad signature); a failed stream or the timeout completes with
 * {@link TransportException}. The acceptor writes a refusal (status and reason) and finishes before
 * failing, and waits (within the timeout) for the dialer to react — reset, finish or close — so
 * that the dialer learns why before the transport closes the connection. The dialer resets the
 * stream when it fails. Either way the transport should then close the connection.
 *
 * <p>Threads: both methods return at once and never block; the stages complete on a transport
 * thread or on this class's shared daemon timer thread, so dependants must not block. The
 * exchange keeps at most one read outstanding on the stream; the caller must not read or write
 * the stream while it runs.
 */
public final class IdentityExchange {

    /** The first bytes of a HELLO: ASCII {@code PEATID}. */
    public static final String MAGIC = "PEATID";
    /** The version this code speaks. */
    public static final int VERSION = 1;
    /** The length of the acceptor's nonce. */
    public static final int NONCE_LENGTH = 32;
    /** The most bytes of SubjectPublicKeyInfo accepted. */
    public static final int MAX_SPKI = 512;
    /** The most bytes of signature accepted. */
    public static final int MAX_SIGNATURE = 128;
    /** The most bytes of refusal reason sent or accepted. */
    public static final int MAX_REASON = 1024;
    /** The domain separation label that starts every signed message (followed by a 0x00 byte). */
    public static final String LABEL = "peat-identity-v1";

    /** Status: go on (CHALLENGE) or accepted (RESULT). */
    public static final int STATUS_OK = 0;
    /** Status: the bytes were malformed, oversize or of an unsupported version. */
    public static final int STATUS_MALFORMED = 1;
    /** Status: the HELLO named another acceptor. */
    public static final int STATUS_WRONG_ACCEPTOR = 2;
    /** Status: the dialer's id, key or signature did not prove its identity. */
    public static final int STATUS_NOT_PROVEN = 3;
    /** Status: the acceptor gave up waiting. */
    public static final int STATUS_TIMEOUT = 4;

    /** The application error code with which either side resets the stream when the exchange fails. */
    public static final long RESET_CODE = 0x1D;

    private static final int DRAIN_BUDGET = 64 * 1024;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ScheduledThreadPoolExecutor TIMER;

    static {
        TIMER = new ScheduledThreadPoolExecutor(1, r -> DaemonThreadFactory.newDaemonThread("peat-quic-identity-timer", r));
        TIMER.setRemoveOnCancelPolicy(true);
        // The timer thread exists only while an exchange is pending, so a closed transport leaves no thread behind.
        TIMER.setKeepAliveTime(1, TimeUnit.SECONDS);
        TIMER.allowCoreThreadTimeOut(true);
    }

    private IdentityExchange() {
    }

    /**
     * Proves this node's identity to the acceptor, as the dialer, on the first stream it opened.
     *
     * @param stream the dialer's first bidirectional stream on the connection, not yet used
     * @param me this node's identity
     * @param acceptor the peer id dialed (already pinned against the acceptor's TLS certificate)
     * @param timeout bound on the whole exchange
     * @return completes when the acceptor accepted the proof and both directions are finished;
     *     exceptionally with {@link IdentityProofException} when the acceptor refused (its reason
     *     included), {@link ProtocolViolationException} when the acceptor's bytes are malformed, or
     *     {@link TransportException} when the stream failed or the timeout passed (the message says
     *     so). On failure the stream is reset with {@link #RESET_CODE}.
     */
    public static CompletionStage<Void> dial(ByteStream stream, NodeIdentity me, PeerId acceptor, Duration timeout) {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(me, "me");
        Objects.requireNonNull(acceptor, "acceptor");
        checkTimeout(timeout);
        Run<Void> run = new Run<>(stream, false, timeout);
        byte[] spki = me.spki();
        PeerId self = me.peerId();
        run.step("sending the HELLO");
        run.write(hello(spki, self, acceptor))
                .thenCompose(v -> run.then("waiting for the CHALLENGE", run.in::u8))
                .thenCompose(status -> status == STATUS_OK ? run.in.bytes(NONCE_LENGTH)
                        : run.refusal(status, acceptor))
                .thenCompose(nonce -> run.then("sending the PROOF", () -> {
                    byte[] sig = me.sign(signedMessage(nonce, acceptor, self, spki));
                    ByteBuffer b = ByteBuffer.allocate(2 + sig.length);
                    b.putShort((short) sig.length).put(sig).flip();
                    return run.write(b);
                }))
                .thenCompose(v -> run.then("waiting for the RESULT", run.in::u8))
                .thenCompose(status -> status == STATUS_OK ? run.in.end("after the RESULT")
                        : run.<Void>refusal(status, acceptor))
                .thenCompose(v -> run.then("finishing the stream", () -> toFuture(stream.finish())))
                .whenComplete((v, e) -> {
                    if (e == null) {
                        run.succeed(null);
                    } else {
                        run.fail(e);
                    }
                });
        return run.result.copy();
    }

    /**
     * Verifies the dialer's identity, as the acceptor, on the first stream the dialer opened.
     *
     * @param stream the first stream the dialer opened on the connection, as reported by
     *     {@link io.peat.spi.TransportListener#onStream}, not yet read
     * @param me this node's identity
     * @param timeout bound on the whole exchange
     * @return completes with the dialer's verified peer id once RESULT = 0 is written and this
     *     direction is finished; exceptionally with {@link IdentityProofException} (wrong acceptor,
     *     id not derived from the key, key not P-256, bad signature), {@link ProtocolViolationException}
     *     (malformed or oversize bytes, unsupported version) or {@link TransportException} (stream
     *     failed, timeout). On an identity or protocol failure a refusal is written first.
     */
    public static CompletionStage<PeerId> accept(ByteStream stream, NodeIdentity me, Duration timeout) {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(me, "me");
        checkTimeout(timeout);
        Run<PeerId> run = new Run<>(stream, true, timeout);
        Hello h = new Hello();
        run.step("waiting for the HELLO");
        run.in.bytes(MAGIC.length() + 1)
                .thenCompose(head -> {
                    if (!Arrays.equals(Arrays.copyOf(head, MAGIC.length()), MAGIC.getBytes(StandardCharsets.US_ASCII))) {
                        throw run.violation("the stream does not start with the identity HELLO (magic 'PEATID'); got "
                                + hex(head));
                    }
                    int version = head[MAGIC.length()] & 0xff;
                    if (version != VERSION) {
                        throw run.violation("unsupported identity exchange version " + version + "; this node speaks "
                                + VERSION);
                    }
                    return run.in.u16();
                })
                .thenCompose(spkiLen -> {
                    if (spkiLen < 1 || spkiLen > MAX_SPKI) {
                        throw run.violation("HELLO spki_len " + spkiLen + " is outside 1.." + MAX_SPKI);
                    }
                    return run.in.bytes(spkiLen);
                })
                .thenCompose(spki -> {
                    h.spki = spki;
                    return run.in.id("dialer id");
                })
                .thenCompose(dialerId -> {
                    h.dialer = dialerId;
                    return run.in.id("acceptor id");
                })
                .thenCompose(acceptorId -> {
                    if (!acceptorId.equals(me.peerId())) {
                        throw new CompletionException(new IdentityProofException(run.address, h.dialer, null,
                                STATUS_WRONG_ACCEPTOR, "the dialer asked for acceptor " + acceptorId + " but this node is "
                                + me.peerId(), false));
                    }
                    try {
                        h.key = PeerIds.publicKeyFromSpki(h.spki);
                    } catch (IllegalArgumentException e) {
                        throw new CompletionException(new IdentityProofException(run.address, h.dialer, null,
                                STATUS_NOT_PROVEN, "the dialer's key is not a P-256 SubjectPublicKeyInfo: " + e.getMessage(),
                                false));
                    }
                    PeerId derived = PeerIds.of(h.key);
                    if (!derived.equals(h.dialer)) {
                        throw new CompletionException(new IdentityProofException(run.address, h.dialer, derived,
                                STATUS_NOT_PROVEN, "the dialer claims id " + h.dialer + " but its key's id is " + derived,
                                false));
                    }
                    h.nonce = new byte[NONCE_LENGTH];
                    RANDOM.nextBytes(h.nonce);
                    ByteBuffer b = ByteBuffer.allocate(1 + NONCE_LENGTH);
                    b.put((byte) STATUS_OK).put(h.nonce).flip();
                    run.step("sending the CHALLENGE");
                    return run.write(b);
                })
                .thenCompose(v -> run.then("waiting for the PROOF", run.in::u16))
                .thenCompose(sigLen -> {
                    if (sigLen < 1 || sigLen > MAX_SIGNATURE) {
                        throw run.violation("PROOF sig_len " + sigLen + " is outside 1.." + MAX_SIGNATURE);
                    }
                    return run.in.bytes(sigLen);
                })
                .thenCompose(sig -> {
                    byte[] message = signedMessage(h.nonce, me.peerId(), h.dialer, h.spki);
                    if (!verify(h.key, message, sig)) {
                        throw new CompletionException(new IdentityProofException(run.address, h.dialer, null,
                                STATUS_NOT_PROVEN, "the dialer's signature does not verify over this connection's nonce"
                                + " with the key of " + h.dialer, false));
                    }
                    if (run.in.buffered() > 0) {
                        throw run.violation(run.in.buffered() + " unexpected bytes after the PROOF");
                    }
                    run.step("sending the RESULT");
                    return run.write(ByteBuffer.wrap(new byte[] {STATUS_OK}))
                            .thenCompose(x -> toFuture(stream.finish()));
                })
                .whenComplete((v, e) -> {
                    if (e == null) {
                        if (run.succeed(h.dialer)) {
                            run.drainInBackground();
                        }
                    } else {
                        run.fail(e);
                    }
                });
        return run.result.copy();
    }

    /**
     * The bytes the dialer signs: ASCII {@value #LABEL}, 0x00, the acceptor's nonce, u8 length and
     * ASCII acceptor id, u8 length and ASCII dialer id, u16 length and the dialer's
     * SubjectPublicKeyInfo DER. Pure function; any thread.
     *
     * @param nonce the acceptor's 32-byte nonce
     * @param acceptor the acceptor's id
     * @param dialer the dialer's id
     * @param spki the dialer's SubjectPublicKeyInfo as sent in the HELLO
     * @return the message
     */
    public static byte[] signedMessage(byte[] nonce, PeerId acceptor, PeerId dialer, byte[] spki) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(160 + spki.length);
        out.writeBytes(LABEL.getBytes(StandardCharsets.US_ASCII));
        out.write(0);
        out.writeBytes(nonce);
        putId(out, acceptor);
        putId(out, dialer);
        out.write(spki.length >>> 8);
        out.write(spki.length);
        out.writeBytes(spki);
        return out.toByteArray();
    }

    // ---------------------------------------------------------------------------------------------

    private static ByteBuffer hello(byte[] spki, PeerId dialer, PeerId acceptor) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(100 + spki.length);
        out.writeBytes(MAGIC.getBytes(StandardCharsets.US_ASCII));
        out.write(VERSION);
        out.write(spki.length >>> 8);
        out.write(spki.length);
        out.writeBytes(spki);
        putId(out, dialer);
        putId(out, acceptor);
        return ByteBuffer.wrap(out.toByteArray());
    }

    private static void putId(ByteArrayOutputStream out, PeerId id) {
        byte[] b = id.value().getBytes(StandardCharsets.US_ASCII);
        out.write(b.length);
        out.writeBytes(b);
    }

    private static boolean verify(PublicKey key, byte[] message, byte[] sig) {
        try {
            Signature s = Signature.getInstance(NodeIdentity.SIGNATURE_ALGORITHM);
            s.initVerify(key);
            s.update(message);
            return s.verify(sig);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false; // a malformed DER signature does not verify
        }
    }

    private static void checkTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
    }

    static <T> CompletableFuture<T> toFuture(CompletionStage<T> stage) {
        CompletableFuture<T> f = new CompletableFuture<>();
        stage.whenComplete((v, e) -> {
            if (e == null) {
                f.complete(v);
            } else {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            s.append(String.format("%02x", x & 0xff));
        }
        return s.toString();
    }

    private static byte[] reasonBytes(String reason) {
        byte[] b = reason.getBytes(StandardCharsets.UTF_8);
        return b.length <= MAX_REASON ? b : Arrays.copyOf(b, MAX_REASON);
    }

    /** What the acceptor learns from the HELLO. */
    private static final class Hello {
        byte[] spki;
        PeerId dialer;
        PublicKey key;
        byte[] nonce;
    }

    /** Thrown inside the chain once the result is already decided (e.g. by the timer): stop quietly. */
    private static final class Abandoned extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Abandoned() {
            super(null, null, false, false);
        }
    }

    /** One run of the exchange, on one side. */
    private static final class Run<T> {
        final ByteStream stream;
        final boolean acceptor;
        final Duration timeout;
        final PeerAddress address;
        final CompletableFuture<T> result = new CompletableFuture<>();
        final Reader in;
        final ScheduledFuture<?> timer;
        volatile String step = "starting";
        /** The acceptor's failure while it waits for the dialer to react to the refusal. */
        volatile Throwable refusing;

        Run(ByteStream stream, boolean acceptor, Duration timeout) {
            this.stream = stream;
            this.acceptor = acceptor;
            this.timeout = timeout;
            PeerConnection c = stream.connection();
            this.address = c == null || c.remoteAddress() == null ? PeerAddress.of("(unknown)") : c.remoteAddress();
            this.in = new Reader(this);
            this.timer = TIMER.schedule(this::timedOut, timeout.toNanos(), TimeUnit.NANOSECONDS);
        }

        String who() {
            return "identity exchange (" + (acceptor ? "acceptor" : "dialer") + ") with peer at " + address;
        }

        void step(String s) {
            step = s;
        }

        <X> CompletableFuture<X> then(String s, java.util.function.Supplier<CompletableFuture<X>> next) {
            if (result.isDone()) {
                throw new Abandoned();
            }
            step = s;
            return next.get();
        }

        CompletableFuture<Void> write(ByteBuffer b) {
            if (result.isDone()) {
                throw new Abandoned();
            }
            return toFuture(stream.write(b));
        }

        CompletionException violation(String what) {
            return new CompletionException(new ProtocolViolationException(who() + ": " + what));
        }

        /** The dialer read a non-zero status: read the reason and fail with it. */
        <X> CompletableFuture<X> refusal(int status, PeerId expected) {
            String when = step;
            return in.u16().thenCompose(len -> {
                if (len > MAX_REASON) {
                    throw violation("refusal reason_len " + len + " exceeds " + MAX_REASON);
                }
                return in.bytes(len);
            }).thenCompose(reason -> CompletableFuture.failedFuture(new IdentityProofException(address, expected, null,
                    status, new String(reason, StandardCharsets.UTF_8) + " (while " + when + ")", true)));
        }

        boolean succeed(T value) {
            timer.cancel(false);
            return result.complete(value);
        }

        void fail(Throwable e) {
            Throwable cause = CompletionCauses.unwrap(e);
            if (cause instanceof Abandoned || result.isDone()) {
                return;
            }
            Throwable failure = cause instanceof PeatException ? cause
                    : new TransportException(who() + " failed while " + step + ": " + cause, cause);
            boolean ours = cause instanceof ProtocolViolationException
                    || cause instanceof IdentityProofException && !((IdentityProofException) cause).byPeer();
            if (acceptor && ours) {
                refuse(failure);
            } else {
                timer.cancel(false);
                stream.reset(RESET_CODE);
                result.completeExceptionally(failure);
            }
        }

        /** Acceptor: write the refusal, finish, wait for the dialer to react (bounded by the timer), then fail. */
        private void refuse(Throwable failure) {
            refusing = failure;
            int status = failure instanceof IdentityProofException ? ((IdentityProofException) failure).status()
                    : STATUS_MALFORMED;
            String reason = failure instanceof IdentityProofException ? ((IdentityProofException) failure).reason()
                    : failure.getMessage();
            toFuture(stream.write(refusalBytes(status, reason)))
                    .thenCompose(v -> toFuture(stream.finish()))
                    .thenCompose(v -> drain(DRAIN_BUDGET))
                    .whenComplete((v, e) -> {
                        timer.cancel(false);
                        if (e != null) {
                            stream.reset(RESET_CODE);
                        }
                        result.completeExceptionally(failure);
                    });
        }

        /** Reads and discards until the peer finishes, resets or the connection closes. */
        private CompletableFuture<Void> drain(int budget) {
            if (result.isDone()) {
                return CompletableFuture.completedFuture(null);
            }
            return toFuture(stream.read()).handle((Optional<ByteBuffer> chunk, Throwable e) -> {
                if (e != null || chunk.isEmpty()) {
                    return CompletableFuture.<Void>completedFuture(null);
                }
                int left = budget - chunk.get().remaining();
                return left < 0 ? CompletableFuture.<Void>failedFuture(new IllegalStateException("too much"))
                        : drain(left);
            }).thenCompose(f -> f);
        }

        /** Acceptor, after success: consume the dialer's FIN in the background, bounded by the timeout. */
        void drainInBackground() {
            CompletableFuture<Void> d = new CompletableFuture<>();
            ScheduledFuture<?> t = TIMER.schedule(() -> {
                if (d.complete(null)) {
                    stream.reset(RESET_CODE);
                }
            }, timeout.toNanos(), TimeUnit.NANOSECONDS);
            in.end("after the RESULT").whenComplete((v, e) -> {
                t.cancel(false);
                if (d.complete(null) && e != null) {
                    stream.reset(RESET_CODE);
                }
            });
        }

        private void timedOut() {
            Throwable r = refusing;
            if (r != null) {
                stream.reset(RESET_CODE);
                result.completeExceptionally(r);
                return;
            }
            TransportException e = new TransportException(who() + " timed out after " + timeout.toMillis()
                    + " ms while " + step + " (the handshake timeout, quic.handshakeTimeout)");
            if (result.completeExceptionally(e)) {
                if (acceptor) {
                    // best effort: tell the dialer why; the transport closes the connection next
                    toFuture(stream.write(refusalBytes(STATUS_TIMEOUT, "the acceptor timed out after "
                            + timeout.toMillis() + " ms while " + step)))
                            .thenCompose(v -> toFuture(stream.finish()));
                } else {
                    stream.reset(RESET_CODE);
                }
            }
        }

        private static ByteBuffer refusalBytes(int status, String reason) {
            byte[] r = reasonBytes(reason == null ? "refused" : reason);
            ByteBuffer b = ByteBuffer.allocate(3 + r.length);
            b.put((byte) status).putShort((short) r.length).put(r).flip();
            return b;
        }
    }

    /** Incremental reader over {@link ByteStream#read()}: any chunking, one read outstanding at a time. */
    private static final class Reader {
        private final Run<?> run;
        private ByteBuffer buf = ByteBuffer.allocate(0);

        Reader(Run<?> run) {
            this.run = run;
        }

        int buffered() {
            return buf.remaining();
        }

        CompletableFuture<byte[]> bytes(int n) {
            if (buf.remaining() >= n) {
                byte[] out = new byte[n];
                buf.get(out);
                return CompletableFuture.completedFuture(out);
            }
            if (run.result.isDone()) {
                throw new Abandoned();
            }
            return toFuture(run.stream.read()).thenCompose(chunk -> {
                if (chunk.isEmpty()) {
                    throw run.violation("the stream ended while " + run.step + " (" + buf.remaining() + " of " + n
                            + " bytes received)");
                }
                ByteBuffer c = chunk.get();
                ByteBuffer merged = ByteBuffer.allocate(buf.remaining() + c.remaining());
                merged.put(buf).put(c).flip();
                buf = merged;
                return bytes(n);
            });
        }

        CompletableFuture<Integer> u8() {
            return bytes(1).thenApply(b -> b[0] & 0xff);
        }

        CompletableFuture<Integer> u16() {
            return bytes(2).thenApply(b -> ((b[0] & 0xff) << 8) | (b[1] & 0xff));
        }

        CompletableFuture<PeerId> id(String what) {
            return u8().thenCompose(len -> {
                if (len < 1) {
                    throw run.violation("HELLO " + what + " is empty");
                }
                return bytes(len);
            }).thenApply(b -> {
                try {
                    return PeerId.of(new String(b, StandardCharsets.US_ASCII));
                } catch (IllegalArgumentException e) {
                    throw run.violation("HELLO " + what + " is not a valid peer id: " + e.getMessage());
                }
            });
        }

        /** Expects the clean end of the stream, with nothing more. */
        CompletableFuture<Void> end(String where) {
            if (buf.hasRemaining()) {
                throw run.violation(buf.remaining() + " unexpected bytes " + where);
            }
            return toFuture(run.stream.read()).thenApply(chunk -> {
                if (chunk.isPresent()) {
                    throw run.violation(chunk.get().remaining() + " unexpected bytes " + where
                            + "; expected the end of the stream");
                }
                return null;
            });
        }
    }
}
