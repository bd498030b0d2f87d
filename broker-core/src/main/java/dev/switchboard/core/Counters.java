package dev.switchboard.core;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * One long counter per constant of an enum, safe to update from any thread, taking memory only from
 * their first count. A server holds a few sets per trigger, and of ten thousand triggers most may
 * never see an event; their counters stay a null field, where a {@code LongAdder} each would cost
 * hundreds of bytes per trigger.
 *
 * @param <E> the enum naming the counters
 */
public final class Counters<E extends Enum<E>> {
    @SuppressWarnings("rawtypes")
    private static final AtomicReferenceFieldUpdater<Counters, AtomicLongArray> VALUES =
            AtomicReferenceFieldUpdater.newUpdater(Counters.class, AtomicLongArray.class, "values");

    private final int size;
    private volatile AtomicLongArray values;

    public Counters(Class<E> names) {
        this.size = names.getEnumConstants().length;
    }

    public void increment(E counter) {
        add(counter, 1);
    }

    public void add(E counter, long delta) {
        AtomicLongArray current = values;
        if (current == null) {
            AtomicLongArray fresh = new AtomicLongArray(size);
            current = VALUES.compareAndSet(this, null, fresh) ? fresh : values;
        }
        current.addAndGet(counter.ordinal(), delta);
    }

    public long get(E counter) {
        AtomicLongArray current = values;
        return current == null ? 0 : current.get(counter.ordinal());
    }
}
