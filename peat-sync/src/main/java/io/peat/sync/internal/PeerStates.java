package io.peat.sync.internal;

import io.peat.spi.PeerId;
import io.peat.sync.ChannelState;
import io.peat.sync.ListenerRegistration;
import io.peat.sync.PeerState;
import io.peat.sync.PeerStateChange;
import io.peat.sync.PeerStateListener;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Each known peer's {@link PeerState} as the application sees it, made from channel events, and
 * the listeners told when one changes (SPEC 3.11). A departed peer leaves no entry.
 *
 * <p><b>Threads.</b> Updated on the sync thread only (channel events go through its inbound lane);
 * read from any thread. Listeners run on their own executors ({@link MergingListeners}).
 */
public final class PeerStates {
    // Written on the sync thread only.
    private final Map<PeerId, PeerState> states = new ConcurrentHashMap<>();
    /** The channel generation of the last change handled per peer: older events are stale. Sync thread. */
    private final Map<PeerId, Long> generations = new HashMap<>();
    private final PeerStateListeners listeners = new PeerStateListeners();
    private final Consumer<PeerId> onDeparted;

    /** @param onDeparted told (on the sync thread) of every departed peer, after its state is gone */
    public PeerStates(Consumer<PeerId> onDeparted) {
        this.onDeparted = onDeparted;
    }

    /**
     * @param listener told of every change from now on
     * @param executor where it is called
     * @return removes it
     */
    public ListenerRegistration addListener(PeerStateListener listener, Executor executor) {
        return listeners.add(listener, executor);
    }

    /**
     * @param peer a peer
     * @return its state; {@link PeerState#DEPARTED} for a peer not known (never seen, or departed)
     */
    public PeerState state(PeerId peer) {
        return states.getOrDefault(peer, PeerState.DEPARTED);
    }

    /** @return the state of every known peer (a snapshot) */
    public Map<PeerId, PeerState> snapshot() {
        return Map.copyOf(states);
    }

    /** @return peers with an entry (for the state-size pin) */
    public int size() {
        return states.size() + generations.size();
    }

    /**
     * A channel changed state. Sync thread.
     *
     * @param peer the peer
     * @param to the channel's state now
     * @param generation the channel's generation after the change
     * @param reason why
     * @return false when the event is stale (a later one of that channel was handled) and was ignored
     */
    boolean channelState(PeerId peer, ChannelState to, long generation, String reason) {
        Long last = generations.get(peer);
        if (last != null && generation <= last) {
            return false;
        }
        if (to == ChannelState.CLOSED) {
            return true; // the node is closing, or the peer departs (its own event follows)
        }
        generations.put(peer, generation);
        PeerState now = switch (to) {
            case CONNECTED -> PeerState.CONNECTED;
            case CLOSED_BY_PEER -> PeerState.CLOSED_BY_PEER;
            default -> PeerState.RECONNECTING;
        };
        change(peer, now, reason);
        return true;
    }

    /**
     * The peer departed: its entry goes. Sync thread.
     *
     * @param peer the peer
     * @param reason why
     */
    void departed(PeerId peer, String reason) {
        generations.remove(peer);
        change(peer, PeerState.DEPARTED, reason);
        states.remove(peer);
        onDeparted.accept(peer);
    }

    private void change(PeerId peer, PeerState now, String reason) {
        PeerState before = state(peer);
        if (before == now) {
            return;
        }
        if (now != PeerState.DEPARTED) {
            states.put(peer, now);
        }
        listeners.publish(new PeerStateChange(peer, before, now, reason, System.nanoTime()));
    }
}
