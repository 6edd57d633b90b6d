package io.peat.transport.kwik.internal;

import io.peat.spi.ByteStream;
import io.peat.spi.PeerConnection;
import io.peat.spi.TransportListener;
import java.util.concurrent.BlockingQueue;

/** Transport listeners for this module's own tests. */
final class TestListeners {
    private TestListeners() {
    }

    /** @return a listener that ignores connections and streams */
    static TransportListener ignoring() {
        return queueing(null);
    }

    /**
     * @param streams where peer-opened streams go, or null to drop them
     * @return a listener that queues the streams peers open and ignores connections
     */
    static TransportListener queueing(BlockingQueue<ByteStream> streams) {
        return new TransportListener() {
            @Override
            public void onConnection(PeerConnection connection) {
            }

            @Override
            public void onStream(ByteStream stream) {
                if (streams != null) {
                    streams.add(stream);
                }
            }
        };
    }
}
