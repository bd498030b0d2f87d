package dev.switchboard.core.log;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The newest records of one log, kept as the events their publishers handed in, so that readers near
 * the end of the log (the usual case: subscriptions that keep up) skip the RocksDB read and the
 * protobuf decode. Pulsar's broker entry cache plays the same part; Kafka leans on the page cache.
 *
 * <p>A ring of slots indexed by offset, bounded by a slot count and by the records' stored bytes,
 * counted for all the logs of a store together: with many brokers the caches share one budget
 * instead of holding one each. Each cache evicts its own oldest records when it adds while the store
 * is over budget. Only the writer thread adds; readers on any thread look up without locks and treat
 * a slot holding a different offset (overwritten, evicted, never cached) as a miss, which they serve
 * from RocksDB.
 */
final class TailCache {
    private static final int SLOTS = 8192;

    private final AtomicReferenceArray<LogRecord> slots = new AtomicReferenceArray<>(SLOTS);
    private final long maxBytes;
    /** The stored bytes held by every cache of the store (only writer-thread adds change it). */
    private final AtomicLong storeBytes;

    // Writer-owned: the oldest offset that may be held.
    private long oldest;

    /**
     * @param maxBytes the budget of the whole store
     * @param storeBytes the bytes held by all the store's caches, shared among them
     */
    TailCache(long maxBytes, AtomicLong storeBytes, long endOffset) {
        this.maxBytes = maxBytes;
        this.storeBytes = storeBytes;
        this.oldest = endOffset;
    }

    /** The record at {@code offset} if it is held, else {@code null}. */
    LogRecord get(long offset) {
        LogRecord record = slots.get(slot(offset));
        return record != null && record.offset() == offset ? record : null;
    }

    /**
     * Holds the record at {@code offset}, the next offset of the log ({@code record} may be {@code
     * null}: an event that must be read back from its record). Writer thread only, before the offset
     * becomes visible to readers.
     */
    void add(long offset, LogRecord record) {
        if (maxBytes <= 0) {
            return;
        }
        int slot = slot(offset);
        LogRecord replaced = slots.get(slot);
        if (replaced != null) {
            storeBytes.addAndGet(-replaced.size());
        }
        oldest = Math.max(oldest, offset - SLOTS + 1);
        slots.set(slot, record);
        if (record != null) {
            storeBytes.addAndGet(record.size());
        }
        while (storeBytes.get() > maxBytes && oldest < offset) {
            LogRecord evicted = slots.getAndSet(slot(oldest), null);
            if (evicted != null) {
                storeBytes.addAndGet(-evicted.size());
            }
            oldest++;
        }
    }

    private static int slot(long offset) {
        return (int) (offset & (SLOTS - 1));
    }
}
