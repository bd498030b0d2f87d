package dev.switchboard.core.dispatch;

import java.util.Map;
import java.util.TreeMap;

/**
 * Tracks which offsets of a subscription are final and derives the committed offset: the lowest offset
 * that is not final yet, below which everything is. Completions may arrive in any order; those above
 * the committed offset are remembered as disjoint ranges until the gap below them closes.
 *
 * <p>Ranges, not one bit per offset: an event that keeps failing (its dead-letter sink down too) holds
 * the committed offset back for as long as it retries, while the fan-out passes millions of other
 * offsets a minute. The memory kept is one entry per gap (at most the events in flight), whatever the
 * distance.
 *
 * <p>Not thread-safe: owned by one dispatcher's drain loop.
 */
final class CompletionTracker {
    private long committed;
    /**
     * Final ranges above the committed offset, start (inclusive) to end (exclusive), none touching.
     * Made on the first gap: most subscriptions of a large installation never have one.
     */
    private TreeMap<Long, Long> done;

    CompletionTracker(long committed) {
        this.committed = committed;
    }

    long committed() {
        return committed;
    }

    /** Marks {@code offset} final; offsets below the committed offset are ignored. */
    void complete(long offset) {
        completeRange(offset, offset + 1);
    }

    /** Marks every offset in {@code [from, to)} final. */
    void completeRange(long from, long to) {
        long first = Math.max(from, committed);
        if (to <= first) {
            return;
        }
        if (first == committed) {
            committed = to;
            advance();
        } else {
            remember(first, to);
        }
    }

    /** Moves the committed offset over the ranges it now reaches. */
    private void advance() {
        if (done == null) {
            return;
        }
        for (Map.Entry<Long, Long> range = done.firstEntry();
                range != null && range.getKey() <= committed;
                range = done.firstEntry()) {
            committed = Math.max(committed, range.getValue());
            done.pollFirstEntry();
        }
    }

    /** Adds {@code [from, to)} above the committed offset, merged with the ranges it overlaps or touches. */
    private void remember(long from, long to) {
        if (done == null) {
            done = new TreeMap<>();
        }
        Map.Entry<Long, Long> before = done.floorEntry(from);
        if (before != null && before.getValue() >= from) {
            from = before.getKey();
            to = Math.max(to, before.getValue());
        }
        for (Map.Entry<Long, Long> next = done.ceilingEntry(from);
                next != null && next.getKey() <= to;
                next = done.ceilingEntry(from)) {
            to = Math.max(to, next.getValue());
            done.remove(next.getKey());
        }
        done.put(from, to);
    }

    /**
     * Moves the committed offset forward to {@code offset} without completing what lies between (events
     * deleted by retention before they were delivered).
     *
     * @return how many offsets in between were not final: the events this subscription lost
     */
    long skipTo(long offset) {
        if (offset <= committed) {
            return 0;
        }
        long alreadyFinal = 0;
        for (Map.Entry<Long, Long> range = done == null ? null : done.firstEntry();
                range != null && range.getKey() < offset;
                range = done.firstEntry()) {
            alreadyFinal += Math.min(range.getValue(), offset) - range.getKey();
            done.pollFirstEntry();
            if (range.getValue() > offset) {
                done.put(offset, range.getValue()); // the part above the skip stays final
            }
        }
        long skipped = offset - committed - alreadyFinal;
        committed = offset;
        advance();
        return skipped;
    }
}
