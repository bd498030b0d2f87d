package dev.switchboard.core.log;

/**
 * Tuning of one store (one data directory).
 *
 * @param segmentEvents offsets per segment: the unit in which retention deletes and backpressure
 *     counts. Fixed when the store is created; a store keeps its original value.
 * @param maxBatchEvents at most this many appends go into one group commit
 */
public record StoreOptions(int segmentEvents, int maxBatchEvents) {
    public StoreOptions {
        if (segmentEvents < 1) {
            throw new IllegalArgumentException("segmentEvents must be at least 1, was " + segmentEvents);
        }
        if (maxBatchEvents < 1) {
            throw new IllegalArgumentException("maxBatchEvents must be at least 1, was " + maxBatchEvents);
        }
    }

    public static StoreOptions defaults() {
        return new StoreOptions(1024, 2048);
    }

    public StoreOptions withSegmentEvents(int value) {
        return new StoreOptions(value, maxBatchEvents);
    }
}
