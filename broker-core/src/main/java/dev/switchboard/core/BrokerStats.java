package dev.switchboard.core;

/**
 * A snapshot of a broker's log.
 *
 * @param startOffset the oldest retained offset
 * @param endOffset the next offset to be written; the log holds {@code [startOffset, endOffset)}
 * @param retainedBytes bytes of events in the retained log (encoded size)
 * @param unconsumedBytes retained bytes that some running subscription has not yet passed; publishes
 *     are refused while this exceeds the buffer limit
 * @param deletedByRetention events deleted by retention since the broker was opened
 * @param expiredUndelivered of those, events deleted by the age limit before every subscription had
 *     passed them
 */
public record BrokerStats(
        long startOffset,
        long endOffset,
        long retainedBytes,
        long unconsumedBytes,
        long deletedByRetention,
        long expiredUndelivered) {}
