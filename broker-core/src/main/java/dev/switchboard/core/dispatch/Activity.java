package dev.switchboard.core.dispatch;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

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
    private static final VarHandle SEEN;

    static {
        try {
            SEEN = MethodHandles.lookup().findVarHandle(Activity.class, "seen", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile boolean seen = true;

    void mark() {
        if (!seen) {
            seen = true; // read first: passes run thousands of times a second and mostly find it set
        }
    }

    /** Whether anything ran since the last call; clears the mark. */
    public boolean take() {
        return (boolean) SEEN.getAndSet(this, false);
    }
}
