package dev.switchboard.core;

import java.time.Instant;
import java.util.Objects;

/**
 * Where a new subscription starts reading its broker's log. Only used the first time a subscription
 * name is seen: afterwards it resumes from its durable cursor.
 */
public sealed interface StartPosition
        permits StartPosition.Earliest, StartPosition.Latest, StartPosition.AtTime, StartPosition.AtOffset {

    /** The oldest event the broker still retains. */
    static StartPosition earliest() {
        return Earliest.INSTANCE;
    }

    /** Only events published from now on. */
    static StartPosition latest() {
        return Latest.INSTANCE;
    }

    /** The first event that arrived at or after {@code time}. */
    static StartPosition at(Instant time) {
        return new AtTime(time);
    }

    /** A log offset, clamped into the retained range. */
    static StartPosition offset(long offset) {
        return new AtOffset(offset);
    }

    enum Earliest implements StartPosition {
        INSTANCE
    }

    enum Latest implements StartPosition {
        INSTANCE
    }

    record AtTime(Instant time) implements StartPosition {
        public AtTime {
            Objects.requireNonNull(time, "time");
        }
    }

    record AtOffset(long offset) implements StartPosition {
        public AtOffset {
            if (offset < 0) {
                throw new IllegalArgumentException("offset must not be negative, was " + offset);
            }
        }
    }
}
