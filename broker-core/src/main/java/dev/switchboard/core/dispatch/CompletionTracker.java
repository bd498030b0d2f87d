package dev.switchboard.core.dispatch;

import java.util.BitSet;

/**
 * Tracks which offsets of a subscription are final and derives the committed offset: the lowest offset
 * that is not final yet, below which everything is. Completions may arrive in any order; those above
 * the committed offset are remembered in a bitmap (one bit per offset) until the gap below them closes.
 *
 * <p>Not thread-safe: owned by one dispatcher's drain loop.
 */
final class CompletionTracker {
    private static final int REBASE_THRESHOLD = 8192;

    private long committed;
    private long base;
    private BitSet done = new BitSet();

    CompletionTracker(long committed) {
        this.committed = committed;
        this.base = committed;
    }

    long committed() {
        return committed;
    }

    /** Marks {@code offset} final; offsets below the committed offset are ignored. */
    void complete(long offset) {
        if (offset < committed) {
            return;
        }
        if (offset == committed) {
            committed++;
        } else {
            done.set(index(offset));
        }
        advance();
    }

    /** Marks every offset in {@code [from, to)} final. */
    void completeRange(long from, long to) {
        if (to <= committed) {
            return;
        }
        long first = Math.max(from, committed);
        if (first == committed) {
            committed = to;
        } else {
            done.set(index(first), index(to));
        }
        advance();
    }

    private void advance() {
        if (committed - base < done.length()) {
            committed = base + done.nextClearBit(index(committed));
        }
        if (committed - base >= REBASE_THRESHOLD) {
            rebase();
        }
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
        long alreadyFinal = committed - base < done.length()
                ? done.get(index(committed), (int) Math.min(done.length(), offset - base))
                        .cardinality()
                : 0;
        long skipped = offset - committed - alreadyFinal;
        committed = offset;
        advance();
        rebase();
        return skipped;
    }

    private int index(long offset) {
        return (int) (offset - base);
    }

    private void rebase() {
        if (committed - base >= done.length()) {
            done = new BitSet(); // nothing remembered above the committed offset
        } else {
            int shift = index(committed);
            done = done.get(shift, done.length());
        }
        base = committed;
    }
}
