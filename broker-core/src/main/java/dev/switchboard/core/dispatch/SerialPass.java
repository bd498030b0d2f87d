package dev.switchboard.core.dispatch;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one owner's pass on the shared dispatch pool, never two at once: {@link #signal()} schedules a
 * pass unless one is running, in which case that pass runs once more. Nothing waits; a pass that
 * throws is logged and tried again a second later. Dispatchers and fan-outs keep their state owned by
 * their pass this way.
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

    /** Signals not yet answered by a pass; a plain field, not an atomic object (one per trigger). */
    private volatile int wip;

    SerialPass(DispatchRuntime runtime, Runnable pass, Activity activity, Supplier<String> owner) {
        this.runtime = runtime;
        this.pass = pass;
        this.activity = activity;
        this.owner = owner;
    }

    void signal() {
        if (WIP.getAndIncrement(this) == 0) {
            try {
                runtime.drains().execute(this::drain);
            } catch (RejectedExecutionException e) {
                wip = 0; // shutting down
            }
        }
    }

    private void drain() {
        int missed = 1;
        do {
            try {
                pass.run();
            } catch (RuntimeException e) {
                LOG.error("{}: pass failed, retrying", owner.get(), e);
                runtime.scheduler().schedule(this::signal, 1, TimeUnit.SECONDS);
            } finally {
                activity.mark(); // after the pass's changes: see Activity
            }
            missed = WIP.addAndGet(this, -missed);
        } while (missed != 0);
    }
}
