package dev.switchboard.core.broker;

import java.time.Duration;
import java.util.Objects;

/**
 * How often a broker does its periodic work.
 *
 * @param cursorFlushInterval how often changed cursors are written (in one batch per broker); a crash
 *     redelivers at most the events completed in the last interval
 * @param retentionInterval how often retention runs
 */
public record BrokerTimings(Duration cursorFlushInterval, Duration retentionInterval) {
    public BrokerTimings {
        Objects.requireNonNull(cursorFlushInterval, "cursorFlushInterval");
        Objects.requireNonNull(retentionInterval, "retentionInterval");
        if (cursorFlushInterval.isNegative() || cursorFlushInterval.isZero()) {
            throw new IllegalArgumentException("cursorFlushInterval must be positive");
        }
        if (retentionInterval.isNegative() || retentionInterval.isZero()) {
            throw new IllegalArgumentException("retentionInterval must be positive");
        }
    }

    public static BrokerTimings defaults() {
        return new BrokerTimings(Duration.ofMillis(100), Duration.ofSeconds(5));
    }
}
