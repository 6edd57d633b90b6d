package io.peat.transport.netty.internal;

/** Application error codes this transport uses on the wire for its own closes and resets. */
final class CloseCodes {
    /** A stream arrived on a connection that is not (yet) authenticated. */
    static final int NOT_AUTHENTICATED = 0x7001;
    /** The identity exchange failed or the pinned certificate did not match. */
    static final int IDENTITY_FAILED = 0x7002;
    /** The listener threw from onConnection. */
    static final int LISTENER_FAILED = 0x7003;
    /** The handshake or identity exchange did not finish in time. */
    static final int HANDSHAKE_TIMEOUT = 0x7004;
    /** The listener threw from onStream: that stream is reset with this code. */
    static final int STREAM_REFUSED = 0x7005;

    private CloseCodes() {
    }
}
