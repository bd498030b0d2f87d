package dev.switchboard.core.log;

import java.nio.ByteBuffer;

/**
 * What a fixed-size run of offsets (a segment) holds: retention and backpressure work per segment so
 * they never scan the log.
 *
 * @param count records written into the segment
 * @param bytes their stored size
 * @param minArrival the earliest arrival time (epoch ms)
 * @param maxArrival the latest arrival time (epoch ms)
 */
record SegmentStats(long count, long bytes, long minArrival, long maxArrival) {
    static final int ENCODED_SIZE = 32;

    static SegmentStats first(long bytes, long arrival) {
        return new SegmentStats(1, bytes, arrival, arrival);
    }

    SegmentStats plus(long recordBytes, long arrival) {
        return new SegmentStats(
                count + 1, bytes + recordBytes, Math.min(minArrival, arrival), Math.max(maxArrival, arrival));
    }

    byte[] encode() {
        return ByteBuffer.allocate(ENCODED_SIZE)
                .putLong(count)
                .putLong(bytes)
                .putLong(minArrival)
                .putLong(maxArrival)
                .array();
    }

    static SegmentStats decode(byte[] value) {
        ByteBuffer b = ByteBuffer.wrap(value);
        return new SegmentStats(b.getLong(), b.getLong(), b.getLong(), b.getLong());
    }
}
