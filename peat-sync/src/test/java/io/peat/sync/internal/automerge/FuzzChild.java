package io.peat.sync.internal.automerge;

import io.peat.sync.wire.Frame;
import io.peat.sync.wire.MessageType;
import io.peat.sync.wire.SyncBatch;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.automerge.ChangeHash;
import org.automerge.Document;
import org.automerge.ObjectId;
import org.automerge.SyncState;

/**
 * The child JVM of the native fuzzer ({@link NativeFuzzer}): a native abort here kills only this
 * process. Reads from stdin: the receiver documents ({@code int count}, then {@code int len, bytes}
 * each), then inputs ({@code byte kind, int receiver, int len, bytes}) until kind {@code -1}. Before
 * running input {@code i} it writes and flushes {@code "R\n"} on stdout, so the parent knows which
 * input was running if the process dies; after an input a check refused it writes {@code "F\n"}. At the end it writes {@code "E <accepted> <refused>
 * <nativeErrors>\n"} and exits 0.
 *
 * <p>Argument {@code checked} (default) runs each input through {@link SyncMessageCheck} /
 * {@link DocumentCheck} first and only an accepted input reaches native code; {@code raw} sends
 * every input to native code (to explore what native code does with unchecked inputs).
 * Single-threaded.
 */
public final class FuzzChild {
    static final int KIND_SYNC = 0;
    static final int KIND_DOC = 1;
    static final int KIND_BATCH = 2;

    private final boolean checked;
    private final List<byte[]> receivers = new ArrayList<>();
    private final java.util.Map<Integer, Document> loadedReceivers = new java.util.HashMap<>();
    private long exercised;
    long accepted;
    long refused;
    long nativeErrors;
    /** Whether the current input was refused by a check (reported as {@code "F"} after it ran). */
    boolean inputRefused;

    FuzzChild(boolean checked) {
        this.checked = checked;
    }

    public static void main(String[] args) throws IOException {
        boolean checked = args.length == 0 || !args[0].equals("raw");
        FuzzChild child = new FuzzChild(checked);
        DataInputStream in = new DataInputStream(new BufferedInputStream(System.in, 1 << 16));
        OutputStream rawOut = new BufferedOutputStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), 1 << 12);
        // Keep library chatter away from the ack channel.
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            child.receivers.add(readBytes(in));
        }
        byte[] ack = "R\n".getBytes(StandardCharsets.US_ASCII);
        byte[] refusedAck = "F\n".getBytes(StandardCharsets.US_ASCII);
        while (true) {
            int kind;
            try {
                kind = in.readByte();
            } catch (EOFException e) {
                break;
            }
            if (kind < 0) {
                break;
            }
            int receiver = in.readInt();
            byte[] input = readBytes(in);
            rawOut.write(ack);
            rawOut.flush();
            child.inputRefused = false;
            child.run(kind, receiver, input);
            if (child.inputRefused) {
                rawOut.write(refusedAck);
            }
        }
        rawOut.write(("E " + child.accepted + " " + child.refused + " " + child.nativeErrors + "\n")
                .getBytes(StandardCharsets.US_ASCII));
        rawOut.flush();
        System.exit(0);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int len = in.readInt();
        byte[] b = new byte[len];
        in.readFully(b);
        return b;
    }

    void run(int kind, int receiver, byte[] input) {
        switch (kind) {
            case KIND_SYNC -> runSync(receiver, input);
            case KIND_DOC -> runDocument(receiver, input);
            case KIND_BATCH -> runBatch(receiver, input);
            default -> throw new IllegalArgumentException("kind " + kind);
        }
    }

    private void runBatch(int receiver, byte[] input) {
        SyncBatch batch;
        try {
            batch = SyncBatch.decode(input);
        } catch (RuntimeException e) {
            refused++;
            inputRefused = true;
            return;
        }
        for (Frame f : batch.entries()) {
            Optional<MessageType> t = f.type();
            if (t.isPresent() && t.get() == MessageType.DELTA_SYNC) {
                runSync(receiver, f.payload());
            } else if (t.isPresent() && t.get() == MessageType.STATE_SNAPSHOT) {
                runDocument(receiver, f.payload());
            }
        }
    }

    /** A fresh copy of receiver {@code index} (loaded once, forked per input: a load costs ms). */
    private Document receiver(int index) {
        if (index <= 0 || index >= receivers.size() || receivers.get(index).length == 0) {
            return new Document();
        }
        Document loaded = loadedReceivers.computeIfAbsent(index, i -> Document.load(receivers.get(i)));
        return loaded.fork();
    }

    /** Checks as the node must: against the receiving document's ledger, refreshed right before. */
    private boolean accepts(byte[] message, Document doc, ActorSeqLedger ledger) {
        if (!checked) {
            return true;
        }
        try {
            ledger.refresh(doc);
            SyncMessageCheck.check(message, ledger);
            return true;
        } catch (MalformedPayloadException e) {
            return false;
        }
    }

    void runSync(int receiver, byte[] message) {
        Document doc = receiver(receiver);
        ActorSeqLedger ledger = ActorSeqLedger.of(doc);
        if (!accepts(message, doc, ledger)) {
            refused++;
            inputRefused = true;
            doc.free();
            return;
        }
        accepted++;
        SyncState state = new SyncState();
        try {
            try {
                doc.receiveSyncMessage(state, message);
            } catch (RuntimeException e) {
                nativeErrors++;
            }
            // The node answers: this is where the issue 10 message panicked.
            Optional<byte[]> reply = doc.generateSyncMessage(state);
            reply.ifPresent(FuzzChild::mustAccept);
            doc.generateSyncMessage(state);
            exercise(doc);
            // A second message on the same state (their_have etc. now set), checked again.
            if (accepts(message, doc, ledger)) {
                try {
                    doc.receiveSyncMessage(state, message);
                } catch (RuntimeException e) {
                    nativeErrors++;
                }
                doc.generateSyncMessage(state);
            }
        } finally {
            state.free();
            doc.free();
        }
    }

    void runDocument(int receiver, byte[] saved) {
        if (checked) {
            try {
                DocumentCheck.check(saved);
            } catch (MalformedPayloadException e) {
                refused++;
            inputRefused = true;
                return;
            }
        }
        accepted++;
        Document loaded;
        try {
            loaded = Document.load(saved);
        } catch (RuntimeException e) {
            nativeErrors++;
            return;
        }
        Document into = receiver(receiver);
        SyncState state = new SyncState();
        try {
            try {
                into.merge(loaded);
            } catch (RuntimeException e) {
                nativeErrors++;
            }
            exercise(loaded);
            exercise(into);
            into.generateSyncMessage(state);
        } finally {
            state.free();
            into.free();
            loaded.free();
        }
    }

    /** What native code generates must pass the check; a refusal is a checker bug (the child fails). */
    private static void mustAccept(byte[] generated) {
        try {
            SyncMessageCheck.check(generated);
        } catch (MalformedPayloadException e) {
            throw new AssertionError("the check refuses a message Automerge generated: " + e.getMessage(), e);
        }
    }

    /**
     * Reads the document the way the node does after applying a message, and reloads its save()
     * (after checking it: a document corrupted by an accepted input may save bytes that the check
     * refuses or that native code cannot load; both are errors, not aborts).
     */
    private void exercise(Document doc) {
        byte[] saved = doc.save();
        ChangeHash[] heads = doc.getHeads();
        doc.keys(ObjectId.ROOT);
        doc.mapEntries(ObjectId.ROOT);
        doc.encodeChangesSince(heads);
        try {
            DocumentCheck.check(saved);
        } catch (MalformedPayloadException e) {
            nativeErrors++;
            return;
        }
        // Reloading costs milliseconds; do it for one input in eight.
        if ((exercised++ & 7) != 0) {
            return;
        }
        try {
            Document again = Document.load(saved);
            again.free();
        } catch (RuntimeException e) {
            nativeErrors++;
        }
    }
}
