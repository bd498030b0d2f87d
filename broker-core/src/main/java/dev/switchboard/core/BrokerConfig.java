package dev.switchboard.core;

import java.util.Objects;

/**
 * A broker's storage settings.
 *
 * @param durability when a publish counts as durable
 * @param bufferLimitBytes publishes fail fast with {@link BrokerException.Kind#BUFFER_FULL} while the
 *     broker holds more bytes that an active subscription has not yet passed than this
 * @param retention how long events are kept
 */
public record BrokerConfig(Durability durability, long bufferLimitBytes, Retention retention) {
    /** 256 MiB of undelivered events per broker before publishers are pushed back. */
    public static final long DEFAULT_BUFFER_LIMIT_BYTES = 256L * 1024 * 1024;

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
