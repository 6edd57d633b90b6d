package io.peat.transport.kwik.internal;

import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.atomic.AtomicInteger;
import tech.kwik.core.QuicStream;

/**
 * Reflective repair for Kwik 0.10.8's lost send request (KWIK-STALL.md), on Kwik internals in the non-exported
 * package {@code tech.kwik.core.stream}:
 *
 * <ul>
 *   <li>{@link #state} reads {@code StreamOutputStreamImpl.sendRequestsQueued} (the per-stream count of queued send
 *       requests), {@code sendBuffer.hasData()} (bytes or the FIN marker not yet sent) and
 *       {@code retransmitBuffer.hasDataToRetransmit()} (lost frames waiting to be sent again). Data pending with no
 *       request counted is the stuck state the race leaves behind (or, briefly, a stream blocked by flow control).</li>
 *   <li>{@link #kick} calls the private {@code scheduleSendStreamFrameRequest(true)}, which queues a send request if
 *       none is counted. Unlike the zero-byte write it adds nothing to the send buffer (so it cannot hide the FIN
 *       marker) and it works after {@code close()} and for retransmissions, when no writer is blocked.</li>
 * </ul>
 *
 * <p>Needs the package open to this module: automatic on the class path; on the module path run with
 * {@code --add-opens tech.kwik.core/tech.kwik.core.stream=io.peat.transport.kwik}. If the members are missing (another
 * Kwik version) or closed, {@link #AVAILABLE} is false and the transport falls back to the zero-byte write nudge.
 * The transport property {@code kwik.sendRepair=false} turns the repair off per endpoint (to measure the fault).
 */
final class KwikSendKick {

    enum State { NONE, IN_PROGRESS, STUCK, UNKNOWN }

    private static final Class<?> IMPL;
    private static final MethodHandle SEND_BUFFER;
    private static final MethodHandle RETRANSMIT_BUFFER;
    private static final MethodHandle QUEUED;
    private static final MethodHandle HAS_DATA;
    private static final MethodHandle HAS_RETRANSMIT;
    private static final MethodHandle SCHEDULE;
    static final boolean AVAILABLE;

    static {
        Class<?> impl = null;
        MethodHandle sb = null, rb = null, q = null, hd = null, hr = null, sc = null;
        boolean ok = false;
        try {
            impl = Class.forName("tech.kwik.core.stream.StreamOutputStreamImpl", false, QuicStream.class.getClassLoader());
            MethodHandles.Lookup l = MethodHandles.privateLookupIn(impl, MethodHandles.lookup());
            Class<?> sendBuffer = Class.forName("tech.kwik.core.stream.SendBuffer", false, impl.getClassLoader());
            Class<?> retransmitBuffer = Class.forName("tech.kwik.core.stream.RetransmitBuffer", false, impl.getClassLoader());
            sb = l.findGetter(impl, "sendBuffer", sendBuffer);
            rb = l.findGetter(impl, "retransmitBuffer", retransmitBuffer);
            q = l.findGetter(impl, "sendRequestsQueued", AtomicInteger.class);
            hd = l.findVirtual(sendBuffer, "hasData", MethodType.methodType(boolean.class));
            hr = l.findVirtual(retransmitBuffer, "hasDataToRetransmit", MethodType.methodType(boolean.class));
            sc = l.findVirtual(impl, "scheduleSendStreamFrameRequest", MethodType.methodType(void.class, boolean.class));
            ok = true;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            KwikTransport.LOG.log(Level.INFO, "Kwik send-request repair unavailable (" + e + "); falling back to the"
                    + " zero-byte write nudge. On the module path add --add-opens tech.kwik.core/tech.kwik.core.stream="
                    + "io.peat.transport.kwik (see KWIK-STALL.md)");
        }
        IMPL = impl;
        SEND_BUFFER = sb;
        RETRANSMIT_BUFFER = rb;
        QUEUED = q;
        HAS_DATA = hd;
        HAS_RETRANSMIT = hr;
        SCHEDULE = sc;
        AVAILABLE = ok;
    }

    private KwikSendKick() {
    }

    static boolean applies(OutputStream out) {
        return AVAILABLE && out != null && IMPL.isInstance(out);
    }

    /** What Kwik still has to send on this output stream, and whether a send request is counted for it. */
    static State state(OutputStream out) {
        if (!applies(out)) {
            return State.UNKNOWN;
        }
        try {
            boolean pending = (boolean) HAS_RETRANSMIT.invoke(RETRANSMIT_BUFFER.invoke(out))
                    || (boolean) HAS_DATA.invoke(SEND_BUFFER.invoke(out));
            if (!pending) {
                return State.NONE;
            }
            return ((AtomicInteger) QUEUED.invoke(out)).get() == 0 ? State.STUCK : State.IN_PROGRESS;
        } catch (Throwable t) {
            return State.UNKNOWN;
        }
    }

    /** Queues a send request for the stream if Kwik counts none (a superfluous one only sends nothing). */
    static boolean kick(OutputStream out) {
        if (!applies(out)) {
            return false;
        }
        try {
            SCHEDULE.invoke(out, true);
            return true;
        } catch (Throwable t) {
            return false;
        }
    }
}
