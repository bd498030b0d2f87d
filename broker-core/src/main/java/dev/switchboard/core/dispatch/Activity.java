package dev.switchboard.core.dispatch;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether any pass of one broker (its fan-out's or a dispatcher's) ran since the broker last looked.
 * Every change to what a cursor checkpoint reads (committed offsets, the fan-out's position, feed
 * states) is made by such a pass, so a checkpoint that finds no activity has nothing new to read:
 * an idle broker with 10,000 subscriptions does not walk them ten times a second.
 *
 * <p>A pass marks activity after its changes; the checkpoint takes the mark before it reads them. A
 * pass that ends after the take marks again, so nothing is missed, only read once more. Code that
 * changes any of those outside a pass must call {@link #mark()} too.
 */
public final class Activity {
    private final AtomicBoolean seen = new AtomicBoolean(true);

    void mark() {
        if (!seen.get()) {
            seen.set(true); // read first: passes run thousands of times a second and mostly find it set
        }
    }

    /** Whether anything ran since the last call; clears the mark. */
    public boolean take() {
        return seen.getAndSet(false);
    }
}
