package dev.switchboard.core;

import java.util.concurrent.Executor;

/**
 * Lets a subscription's pass run on the event loop that signalled it (the loop that wrote an event, or
 * heard a sink's answer) instead of waking a dispatch thread. At low rates that loop is awake anyway,
 * and on a VM waking an idle thread costs more than the pass itself (benchmarks/RESULTS.md). Under load
 * a loop says it is busy: passes that the log signals go to the dispatch pool, but the pass a sink's
 * answer signals still runs on the answering loop ({@link #loopOfCaller()}), where that pass's next
 * attempts go anyway; waking a dispatch thread for each answer cost a tenth of the server's CPU. A pass
 * on a loop never reads the store: one that would moves to the pool.
 */
@FunctionalInterface
public interface CallerLoops {
    /** Never a loop: every pass runs on the dispatch pool. */
    CallerLoops NONE = () -> null;

    /**
     * The executor of the calling thread's event loop when a short pass may run there now, or {@code
     * null} (not on an event loop, or that loop is busy). The executor runs tasks after the loop's current
     * one, never inside it.
     */
    Executor quietLoopOfCaller();

    /**
     * The executor of the calling thread's event loop, busy or not, or {@code null} off the loops. A
     * sink that answered on this loop signals its subscription's pass here: the pass's new attempts go
     * to the loop where the sink works, and under load that saves waking a dispatch thread per
     * answer. By default, only a quiet loop.
     */
    default Executor loopOfCaller() {
        return quietLoopOfCaller();
    }
}
