package dev.switchboard.core.log;

/**
 * Tuning of one store (one data directory).
 *
 * @param segmentEvents offsets per segment: the unit in which retention deletes and backpressure
 *     counts. Fixed when the store is created; a store keeps its original value.
 * @param maxBatchEvents at most this many appends go into one group commit
 * @param tailCacheBytes the stored bytes of the newest events kept in memory as published, for all the
 *     brokers of the store together, so that subscriptions keeping up read them without RocksDB or
 *     decoding (0: none)
 */
public record StoreOptions(int segmentEvents, int maxBatchEvents, long tailCacheBytes) {
    public StoreOptions {
        if (segmentEvents < 1) {
            throw new IllegalArgumentException("segmentEvents must be at least 1, was " + segmentEvents);
        }
        if (maxBatchEvents < 1) {
            throw new IllegalArgumentException("maxBatchEvents must be at least 1, was " + maxBatchEvents);
        }
        if (tailCacheBytes < 0) {
            throw new IllegalArgumentException("tailCacheBytes must not be negative, was " + tailCacheBytes);
        }
    }

    /**
     * The defaults. The tail cache's 8 MiB holds ~6,700 events of 1 KiB: an application that publishes
     * asynchronously with a few thousand events outstanding (the embedded benchmark keeps 4,096)
     * is delivered from it. The server, which budgets its memory, keeps less.
     */
    public static StoreOptions defaults() {
        return new StoreOptions(1024, 2048, 8L << 20);
    }

    public StoreOptions withSegmentEvents(int value) {
        return new StoreOptions(value, maxBatchEvents, tailCacheBytes);
    }

    public StoreOptions withTailCacheBytes(long value) {
        return new StoreOptions(segmentEvents, maxBatchEvents, value);
    }
}
