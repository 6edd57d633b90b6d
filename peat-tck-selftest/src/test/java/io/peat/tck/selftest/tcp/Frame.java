package io.peat.tck.selftest.tcp;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One frame of the TCP transport's wire format: {@code type (1 byte) | stream id (8) | length (4) | payload}.
 * Immutable once made; read on a connection's reader thread, written on its writer thread.
 *
 * @param type one of the type constants
 * @param stream the stream it is about (0 for connection frames)
 * @param payload the payload, never null
 */
record Frame(int type, long stream, byte[] payload) {
    /** The sender's peer id (UTF-8); the first frame each side sends. */
    static final int HELLO = 0;
    /** Stream bytes; the first frame of a stream the peer has not seen opens it. */
    static final int DATA = 1;
    /** The sender finished its direction of the stream. */
    static final int FIN = 2;
    /** The sender reset the stream; payload: the error code (8 bytes). */
    static final int RESET = 3;
    /** The receiver read this many more bytes (4 bytes): the sender may send that many more. */
    static final int CREDIT = 4;
    /** The sender closed the connection; payload: code (8 bytes), reason (UTF-8). */
    static final int CLOSE = 5;
    /** Keep-alive; says nothing else. */
    static final int PING = 6;

    /** Largest payload accepted; a larger length is a protocol violation. */
    static final int MAX_PAYLOAD = 1 << 20;

    private static final byte[] EMPTY = new byte[0];

    static Frame hello(String peerId) {
        return new Frame(HELLO, 0, peerId.getBytes(StandardCharsets.UTF_8));
    }

    static Frame fin(long stream) {
        return new Frame(FIN, stream, EMPTY);
    }

    static Frame reset(long stream, long code) {
        return new Frame(RESET, stream, ByteBuffer.allocate(8).putLong(code).array());
    }

    static Frame credit(long stream, int bytes) {
        return new Frame(CREDIT, stream, ByteBuffer.allocate(4).putInt(bytes).array());
    }

    static Frame close(long code, String reason) {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        return new Frame(CLOSE, 0, ByteBuffer.allocate(8 + r.length).putLong(code).put(r).array());
    }

    static Frame ping() {
        return new Frame(PING, 0, EMPTY);
    }

    /** @return the payload's first 8 bytes as a code (RESET, CLOSE) */
    long code() {
        return ByteBuffer.wrap(payload).getLong();
    }

    /** @return the payload's first 4 bytes (CREDIT) */
    int credit() {
        return ByteBuffer.wrap(payload).getInt();
    }

    /** @return a CLOSE frame's reason */
    String reason() {
        return new String(payload, 8, payload.length - 8, StandardCharsets.UTF_8);
    }

    /** @return the payload as text (HELLO) */
    String text() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    void writeTo(DataOutputStream out) throws IOException {
        out.writeByte(type);
        out.writeLong(stream);
        out.writeInt(payload.length);
        out.write(payload);
    }

    /**
     * @param in the connection's input
     * @return the next frame
     * @throws java.io.EOFException at the end of the input
     * @throws IOException when the input fails or the frame is malformed
     */
    static Frame readFrom(DataInputStream in) throws IOException {
        int type = in.readUnsignedByte();
        long stream = in.readLong();
        int length = in.readInt();
        if (type > PING || length < 0 || length > MAX_PAYLOAD) {
            throw new IOException("malformed frame: type " + type + ", length " + length);
        }
        byte[] payload = new byte[length];
        in.readFully(payload);
        return new Frame(type, stream, payload);
    }
}
