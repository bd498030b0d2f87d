package dev.switchboard.core;

import java.util.concurrent.Executor;

/**
 * Lets a subscription's pass run on the event loop that signalled it (the loop that wrote an event, or
 * heard a sink's answer) instead of waking a dispatch thread. At low rates that loop is awake anyway,
 * and on a VM waking an idle thread costs more than the pass itself (benchmarks/RESULTS.md); under load
 * the loop says it is busy and passes go to the dispatch pool. A sink names the loops its own answers
 * arrive on ({@link EventSink#answerLoops()}): the pass such an answer signals runs on the answering
 * loop, busy or not ({@link #loopOfCaller()}). A pass on a loop never reads the store: one that would
 * moves to the pool.
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
     * The executor of the calling thread's event loop, busy or not, or {@code null} off the loops: where
     * the pass runs that an answer of a sink with these {@linkplain EventSink#answerLoops() answer loops}
     * signals. Its new attempts go to that loop anyway, and under load that saves waking a dispatch
     * thread per answer. By default, only a quiet loop.
     */
    default Executor loopOfCaller() {
        return quietLoopOfCaller();
    }

    /**
     * For a sink's {@linkplain EventSink#answerLoops() answer loops}: the one loop its attempts keep to,
     * if any, or {@code null}. A pass that no quiet loop takes (signalled on a dispatch thread, or on a
     * busy loop) runs there instead of on the dispatch pool: its attempts would hop there anyway. Such a
     * pass calls only this sink. By default none.
     */
    default Executor home() {
        return null;
    }
}
