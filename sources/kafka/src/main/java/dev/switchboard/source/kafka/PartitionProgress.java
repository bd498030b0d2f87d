package dev.switchboard.source.kafka;

import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * One assigned partition's records between the consumer and the target, and the offset that is safe
 * to commit: the first offset not yet accepted by the target. Records finish out of order in
 * unordered mode; the commit position moves only past an unbroken run of finished records, so a
 * restart re-reads everything not known to be accepted (at least once, never lost).
 *
 * <p>Ordered mode also keeps the records not yet sent, one in flight at a time. All methods are
 * called from the consumer thread and the target's completion threads, so they synchronize.
 */
final class PartitionProgress {
    /** One record: sent, and whether the target accepted it. */
    static final class Entry {
        final ConsumerRecord<byte[], byte[]> record;
        boolean done;

        Entry(ConsumerRecord<byte[], byte[]> record) {
            this.record = record;
        }
    }

    private final TopicPartition partition;
    private final boolean ordered;
    /** Every record read and not yet finished, in offset order (finished ones at the head leave). */
    private final Deque<Entry> pending = new ArrayDeque<>();
    /** Ordered mode: records read but not yet sent. */
    private final Deque<Entry> waiting = new ArrayDeque<>();

    private boolean sending;
    /** Entries handed out for sending and not yet finished. */
    private int outstanding;

    private long commitPosition = -1;
    private long committed = -1;
    private boolean revoked;

    PartitionProgress(TopicPartition partition, boolean ordered) {
        this.partition = partition;
        this.ordered = ordered;
    }

    TopicPartition partition() {
        return partition;
    }

    /**
     * Takes a record read from the partition and returns the entry to send now, or {@code null} when
     * ordered mode holds it back behind one in flight.
     */
    synchronized Entry add(ConsumerRecord<byte[], byte[]> record) {
        Entry entry = new Entry(record);
        pending.addLast(entry);
        if (ordered && sending) {
            waiting.addLast(entry);
            return null;
        }
        sending = true;
        outstanding++;
        return entry;
    }

    /**
     * The target accepted the entry's event; returns the next entry to send (ordered mode) or {@code
     * null}.
     */
    synchronized Entry finish(Entry entry) {
        entry.done = true;
        outstanding--;
        while (!pending.isEmpty() && pending.peekFirst().done) {
            commitPosition = pending.removeFirst().record.offset() + 1;
        }
        if (!ordered || revoked) {
            return null;
        }
        Entry next = waiting.pollFirst();
        sending = next != null;
        if (next != null) {
            outstanding++;
        }
        return next;
    }

    /** Records read but not finished: what the consumer holds for this partition. */
    synchronized int unfinished() {
        return pending.size();
    }

    /** Entries sent and not yet accepted. */
    synchronized int outstanding() {
        return outstanding;
    }

    /** The offset to commit when it moved since the last commit, else -1. */
    synchronized long toCommit() {
        return commitPosition > committed ? commitPosition : -1;
    }

    synchronized void committed(long offset) {
        committed = Math.max(committed, offset);
    }

    /** The first offset not yet accepted (the next commit), or -1 before the first record finished. */
    synchronized long commitPosition() {
        return commitPosition;
    }

    /** The partition went to another consumer: nothing more is sent; late completions are ignored. */
    synchronized void revoke() {
        revoked = true;
        waiting.clear();
    }

    synchronized boolean revoked() {
        return revoked;
    }
}
