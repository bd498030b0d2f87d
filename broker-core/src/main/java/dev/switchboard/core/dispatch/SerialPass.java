package dev.switchboard.core.dispatch;

import dev.switchboard.core.CallerLoops;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one owner's pass, never two at once: {@link #signal()} schedules a pass unless one is running,
 * in which case that pass runs once more. Nothing waits; a pass that throws is logged and tried again
 * a second later. Dispatchers and fan-outs keep their state owned by their pass this way.
 *
 * <p>Where: on the shared dispatch pool, or on the event loop that signalled, when the runtime's
 * {@link dev.switchboard.core.CallerLoops} says it is quiet (no thread woken for it), and for {@link
 * #signalAnswered} on a loop the sink answers on, busy or not; failing both, on the sink's {@linkplain
 * dev.switchboard.core.CallerLoops#home() home loop} if it names one, where its attempts go anyway
 * (a thread hop fewer than the pool's). A pass on a loop
 * must not read the store: the owner asks {@link #onLoop()} and, before such a read, calls {@link
 * #moveToPool()} and returns; the pass then runs again on the pool.
 */
final class SerialPass {
    private static final Logger LOG = LoggerFactory.getLogger(SerialPass.class);
    private static final AtomicIntegerFieldUpdater<SerialPass> WIP =
            AtomicIntegerFieldUpdater.newUpdater(SerialPass.class, "wip");

    private final DispatchRuntime runtime;
    private final Runnable pass;
    private final Activity activity;
    /** For the log only: built when a pass fails, not kept as a string by each of 10,000 dispatchers. */
    private final Supplier<String> owner;
    /** Where a pass runs that no quiet loop takes (its sink's home loop), or {@code null}: the pool. */
    private final Executor home;

    private final Runnable drainOnPool = () -> drain(false);
    private final Runnable drainOnLoop = () -> drain(true);

    /** Signals not yet answered by a pass; a plain field, not an atomic object (one per trigger). */
    private volatile int wip;

    // Owned by the running pass.
    private boolean onLoop;
    private boolean moveToPool;

    SerialPass(DispatchRuntime runtime, Runnable pass, Activity activity, Supplier<String> owner, Executor home) {
        this.runtime = runtime;
        this.pass = pass;
        this.activity = activity;
        this.owner = owner;
        this.home = home;
    }

    void signal() {
        if (WIP.getAndIncrement(this) == 0) {
            start(runtime.quietLoopOfCaller());
        }
    }

    /**
     * A sink answered on the calling thread. When that thread is one of the loops the sink answers on
     * ({@code sinkLoops}), the pass runs there even if the loop is busy: the attempts it makes go to that
     * loop anyway. Otherwise as {@link #signal()}.
     */
    void signalAnswered(CallerLoops sinkLoops) {
        if (WIP.getAndIncrement(this) == 0) {
            Executor loop = sinkLoops.loopOfCaller();
            start(loop != null ? loop : runtime.quietLoopOfCaller());
        }
    }

    private void start(Executor loop) {
        Executor where = loop != null ? loop : home;
        if (where != null) {
            where.execute(drainOnLoop);
        } else {
            runOnPool();
        }
    }

    /** Whether the running pass is on an event loop, where it must not read the store. */
    boolean onLoop() {
        return onLoop;
    }

    /** The running pass, on an event loop, stops short of a read: run it again on the pool. */
    void moveToPool() {
        moveToPool = true;
    }

    private void runOnPool() {
        try {
            runtime.drains().execute(drainOnPool);
        } catch (RejectedExecutionException e) {
            wip = 0; // shutting down
        }
    }

    private void drain(boolean loop) {
        int missed = 1;
        onLoop = loop;
        do {
            try {
                pass.run();
            } catch (RuntimeException e) {
                LOG.error("{}: pass failed, retrying", owner.get(), e);
                runtime.scheduler().schedule(this::signal, 1, TimeUnit.SECONDS);
            } finally {
                activity.mark(); // after the pass's changes: see Activity
            }
            if (moveToPool) {
                // The signals not yet answered stay counted: the pool's pass answers them.
                moveToPool = false;
                onLoop = false;
                runOnPool();
                return;
            }
            missed = WIP.addAndGet(this, -missed);
        } while (missed != 0);
        onLoop = false;
    }
}
