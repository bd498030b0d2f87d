package dev.switchboard.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A fixed number of long counters, safe to update from any thread, that take memory only from their
 * first count. A server holds a few sets per trigger, and of ten thousand triggers most may never
 * see an event; their counters stay a null field.
 */
public final class Counters {
    private static final VarHandle VALUES;

    static {
        try {
            VALUES = MethodHandles.lookup().findVarHandle(Counters.class, "values", AtomicLongArray.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int size;
    private volatile AtomicLongArray values;

    public Counters(int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("size must be positive: " + size);
        }
        this.size = size;
    }

    public void increment(int counter) {
        add(counter, 1);
    }

    public void add(int counter, long delta) {
        Objects.checkIndex(counter, size);
        AtomicLongArray current = values;
        if (current == null) {
            AtomicLongArray fresh = new AtomicLongArray(size);
            current = VALUES.compareAndSet(this, null, fresh) ? fresh : values;
        }
        current.addAndGet(counter, delta);
    }

    public long get(int counter) {
        Objects.checkIndex(counter, size);
        AtomicLongArray current = values;
        return current == null ? 0 : current.get(counter);
    }
}
