package dev.switchboard.core;

import java.util.Objects;

/**
 * A broker's storage settings.
 *
 * @param durability when a publish counts as durable
 * @param bufferLimitBytes publishes fail fast with {@link BrokerException.Kind#BUFFER_FULL} while the
 *     broker holds more bytes than this that even its fastest running subscription has not passed
 *     (delivery cannot keep up anywhere), or more than {@value #LAG_LIMIT_FACTOR} times this that its
 *     slowest one has not passed (a subscription whose sink is slow or down lags behind the others
 *     without holding them back, up to that bound on the disk it pins). Push-back starts before the
 *     limit: from {@link #pushBackStartBytes()} a share of publishes is refused that grows with the
 *     backlog, so that a backlog that keeps growing settles below the limit
 * @param retention how long events are kept
 */
public record BrokerConfig(Durability durability, long bufferLimitBytes, Retention retention) {
    /** 256 MiB of undelivered events per broker before publishers are pushed back. */
    public static final long DEFAULT_BUFFER_LIMIT_BYTES = 256L * 1024 * 1024;

    /** How many buffer limits a lagging subscription may fall behind before it pushes back too. */
    public static final int LAG_LIMIT_FACTOR = 16;

    /** Push-back starts at this fraction of the buffer limit (one over it). */
    public static final int PUSH_BACK_START_DIVISOR = 4;

    public BrokerConfig {
        Objects.requireNonNull(durability, "durability");
        Objects.requireNonNull(retention, "retention");
        if (bufferLimitBytes <= 0) {
            throw new IllegalArgumentException("bufferLimitBytes must be positive, was " + bufferLimitBytes);
        }
    }

    public static BrokerConfig defaults() {
        return new BrokerConfig(Durability.WAL, DEFAULT_BUFFER_LIMIT_BYTES, Retention.unlimited());
    }

    /**
     * The backlog at which publishes start to be refused: none are below it, all are at the buffer
     * limit, and in between a share that grows linearly with the backlog.
     */
    public long pushBackStartBytes() {
        return bufferLimitBytes / PUSH_BACK_START_DIVISOR;
    }

    /**
     * The bytes the slowest running subscription may leave unpassed before publishers are pushed back:
     * {@value #LAG_LIMIT_FACTOR} buffer limits, or no limit when that does not fit in a long.
     */
    public long lagLimitBytes() {
        return bufferLimitBytes > Long.MAX_VALUE / LAG_LIMIT_FACTOR
                ? Long.MAX_VALUE
                : LAG_LIMIT_FACTOR * bufferLimitBytes;
    }

    public BrokerConfig withDurability(Durability value) {
        return new BrokerConfig(value, bufferLimitBytes, retention);
    }

    public BrokerConfig withBufferLimitBytes(long value) {
        return new BrokerConfig(durability, value, retention);
    }

    public BrokerConfig withRetention(Retention value) {
        return new BrokerConfig(durability, bufferLimitBytes, value);
    }
}
