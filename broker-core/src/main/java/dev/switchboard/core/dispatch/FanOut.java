package dev.switchboard.core.dispatch;

import dev.switchboard.core.FilterIndex;
import dev.switchboard.core.log.BrokerLog;
import dev.switchboard.core.log.LogRecord;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a broker's log once for every subscription that has caught up with it: decodes each new record
 * once, asks the {@link FilterIndex} which members want it, and queues it on their {@link Feed}s only.
 * A subscription that matches nothing is never woken; its position follows {@link #position()}.
 *
 * <p>Subscriptions that are behind (a new one starting early in the log, one replaying, one whose sink
 * is slow) read the log by themselves and join when they reach its end. One pass at a time runs on
 * the shared dispatch pool (or a quiet event loop that signalled it), like a dispatcher's; joins and
 * leaves are applied at the start of a pass, so the index is only ever touched by that pass.
 */
public final class FanOut implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FanOut.class);
    private static final int READ_CHUNK = 256;

    private final String broker;
    private final BrokerLog log;
    private final DispatchRuntime runtime;
    private final FilterIndex<Feed> index;
    private final LongSupplier hold;
    private final Runnable onAppend = this::appended;
    private final SerialPass passes;
    private final Activity activity = new Activity();
    private final Queue<Feed> joining = new ConcurrentLinkedQueue<>();
    private final Queue<Feed> leaving = new ConcurrentLinkedQueue<>();
    private volatile long position;
    private volatile boolean closed;
    /**
     * Whether the last pass had members: without any, an append needs no pass (an ingress with no
     * triggers would wake a pool thread per group commit for nothing). Written before the pass reads
     * the log's end and read after an append moves it, so a pass that takes in a first member either
     * sees the append or the append sees the member.
     */
    private volatile boolean hasMembers;

    // Owned by the pass.
    private final Set<Feed> members = new LinkedHashSet<>();
    private final List<Feed> matched = new ArrayList<>();
    private final Consumer<Feed> collectMatch = matched::add;
    private final List<Feed> toWake = new ArrayList<>();
    /** No member asked for anything below this (kept low when members leave). */
    private long lowestFrom = Long.MAX_VALUE;

    /**
     * @param start where to start reading: the lowest cursor of the subscriptions expected back (after
     *     a restart they then join where they stopped, and the backlog is read once for all of them)
     * @param hold the offset not to read past for now (a subscription expected back is still behind
     *     it), or {@link Long#MAX_VALUE}
     */
    public FanOut(
            String broker,
            BrokerLog log,
            DispatchRuntime runtime,
            FilterIndex<Feed> index,
            long start,
            LongSupplier hold) {
        this.broker = broker;
        this.log = log;
        this.runtime = runtime;
        this.index = index;
        this.hold = hold;
        this.passes =
                new SerialPass(runtime, this::drainOnce, activity, () -> "fan-out of broker '" + broker + "'", null);
        this.position = Math.max(log.startOffset(), Math.min(start, log.endOffset()));
        log.onAppend(onAppend);
    }

    /** Whether this fan-out or any of its members' dispatchers ran a pass since the last look. */
    public Activity activity() {
        return activity;
    }

    /** Every record below this offset has been handed to the members that wanted it. */
    long position() {
        return position;
    }

    /** Asks for {@code feed} to be handed records from {@link Feed#from()} on; answered on the feed. */
    void join(Feed feed) {
        joining.add(feed);
        signal();
    }

    void leave(Feed feed) {
        leaving.add(feed);
        signal();
    }

    @Override
    public void close() {
        closed = true;
        log.removeAppendListener(onAppend);
    }

    /** Runs a pass: the hold may have been lifted. */
    public void signal() {
        passes.signal();
    }

    private void appended() {
        if (hasMembers || !joining.isEmpty()) {
            passes.signal();
        }
    }

    private void drainOnce() {
        while (!closed) {
            applyMembershipChanges();
            long limit = Math.min(log.endOffset(), hold.getAsLong());
            if (members.isEmpty()) {
                // Nobody to hand anything to: whoever joins later has read up to where it joins.
                position = Math.max(position, limit);
                lowestFrom = Long.MAX_VALUE;
                return;
            }
            // Members that joined ahead (at the end, while a restart's backlog waits) need nothing below.
            position = Math.max(position, Math.min(lowestFrom, limit));
            if (position >= limit) {
                return;
            }
            if (passes.onLoop() && !log.inMemoryFrom(position)) {
                passes.moveToPool(); // the read would touch the store
                return;
            }
            handOutBatch((int) Math.min(READ_CHUNK, limit - position));
        }
    }

    private void applyMembershipChanges() {
        for (Feed feed; (feed = leaving.poll()) != null; ) {
            if (members.remove(feed)) {
                index.remove(feed);
            }
        }
        for (Feed feed; (feed = joining.poll()) != null; ) {
            admit(feed);
        }
        hasMembers = !members.isEmpty();
    }

    private void handOutBatch(int max) {
        List<LogRecord> batch = log.read(position, max);
        if (batch.isEmpty()) {
            position = Math.max(position, log.startOffset()); // retention passed us
            return;
        }
        for (LogRecord record : batch) {
            handOut(record);
        }
        // Published after the records are queued: a member that sees this position finds them.
        position = batch.get(batch.size() - 1).offset() + 1;
        for (Feed feed : toWake) {
            feed.wakePending = false;
            feed.wake();
        }
        toWake.clear();
    }

    private void admit(Feed feed) {
        if (feed.isClosed() || feed.state() != Feed.State.JOINING) {
            return;
        }
        if (feed.from() < position) {
            feed.refused();
            return;
        }
        try {
            index.put(feed, feed.filter());
        } catch (RuntimeException e) {
            LOG.error("broker '{}': could not index a subscription's filter; it reads the log by itself", broker, e);
            feed.refused();
            return;
        }
        // Taken in only if it still asks (a close in between wins).
        if (feed.joined()) {
            members.add(feed);
            lowestFrom = Math.min(lowestFrom, feed.from());
        } else {
            index.remove(feed);
        }
    }

    private void handOut(LogRecord record) {
        matched.clear();
        if (record.isCorrupt()) {
            matched.addAll(members); // each member counts it
        } else {
            try {
                index.match(record.event(), collectMatch);
            } catch (RuntimeException e) {
                // A filter threw: ask each one on its own, so the others still get the event.
                matched.clear();
                for (Feed feed : members) {
                    if (record.offset() >= feed.from() && feed.wants(record)) {
                        matched.add(feed);
                    }
                }
            }
        }
        for (Feed feed : matched) {
            if (record.offset() < feed.from()) {
                continue; // joined ahead of this pass; it read this record itself
            }
            if (!feed.offer(record)) {
                members.remove(feed);
                index.remove(feed);
                feed.detach(record.offset());
                continue;
            }
            if (!feed.wakePending) {
                feed.wakePending = true;
                toWake.add(feed);
            }
        }
    }
}
