package dev.switchboard.trigger.index;

import java.util.Arrays;

/** Immutable arrays that writers replace and readers iterate without locks. */
public final class CopyOnWrite {
    public static final Object[] EMPTY = new Object[0];

    private CopyOnWrite() {}

    public static Object[] plus(Object[] values, Object value) {
        Object[] grown = Arrays.copyOf(values, values.length + 1);
        grown[values.length] = value;
        return grown;
    }

    public static Object[] minus(Object[] values, Object value) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == value) {
                Object[] shrunk = new Object[values.length - 1];
                System.arraycopy(values, 0, shrunk, 0, i);
                System.arraycopy(values, i + 1, shrunk, i, values.length - i - 1);
                return shrunk;
            }
        }
        return values;
    }
}
