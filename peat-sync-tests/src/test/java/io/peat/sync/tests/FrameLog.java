package io.peat.sync.tests;

import io.peat.spi.PeerId;
import io.peat.sync.wire.MessageType;
import io.peat.transport.inmem.InMemoryNetwork;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every frame the in-memory network delivered from one peer to another, parsed from the raw bytes of
 * each stream (SPEC section 2), independent of the node's own decoder. Thread-safe: the tap writes on
 * the transport's thread, tests read on theirs.
 */
final class FrameLog implements AutoCloseable {
    /**
     * One frame as seen on the wire.
     *
     * @param stream "connection/stream" it came on
     * @param payloadHash a hash of its payload, to tell byte-identical repeats
     */
    record Seen(String key, int type, int payloadLength, String stream, int payloadHash) {
    }

    private final Map<String, ByteArrayOutputStream> pending = new HashMap<>();
    private final Map<String, Long> bytesPerStream = new java.util.LinkedHashMap<>();
    private final List<Seen> frames = new ArrayList<>();
    private final AutoCloseable tap;

    FrameLog(InMemoryNetwork network, PeerId from, PeerId to) {
        this.tap = network.tap(from, to, this::onBytes);
    }

    private synchronized void onBytes(long connection, long stream, ByteBuffer bytes) {
        String id = connection + "/" + stream;
        ByteArrayOutputStream buf = pending.computeIfAbsent(id, k -> new ByteArrayOutputStream());
        bytesPerStream.merge(id, (long) bytes.remaining(), Long::sum);
        byte[] chunk = new byte[bytes.remaining()];
        bytes.get(chunk);
        buf.writeBytes(chunk);
        ByteBuffer all = ByteBuffer.wrap(buf.toByteArray());
        while (all.remaining() >= 2) {
            all.mark();
            int keyLen = Short.toUnsignedInt(all.getShort());
            if (all.remaining() < keyLen + 5) {
                all.reset();
                break;
            }
            byte[] key = new byte[keyLen];
            all.get(key);
            int type = Byte.toUnsignedInt(all.get());
            long len = Integer.toUnsignedLong(all.getInt());
            if (all.remaining() < len) {
                all.reset();
                break;
            }
            int hash = java.util.Arrays.hashCode(java.util.Arrays.copyOfRange(all.array(), all.position(), all.position() + (int) len));
            all.position(all.position() + (int) len);
            frames.add(new Seen(new String(key, StandardCharsets.UTF_8), type, (int) len, id, hash));
        }
        buf.reset();
        buf.write(all.array(), all.position(), all.remaining());
    }

    /** @return the frames of {@code type} for {@code key} seen so far */
    synchronized List<Seen> of(String key, MessageType type) {
        return frames.stream().filter(f -> f.key().equals(key) && f.type() == type.code()).toList();
    }

    /** @return bytes delivered on each stream ("connection/stream"), in the order streams first carried bytes */
    synchronized Map<String, Long> bytesPerStream() {
        return new java.util.LinkedHashMap<>(bytesPerStream);
    }

    /** @return every frame seen so far */
    synchronized List<Seen> all() {
        return List.copyOf(frames);
    }

    @Override
    public void close() {
        try {
            tap.close();
        } catch (Exception e) {
            throw new IllegalStateException("the in-memory tap handle never throws", e);
        }
    }
}
