package dev.switchboard.server;

import dev.switchboard.core.Broker;
import dev.switchboard.core.EventSink;
import dev.switchboard.core.Ordering;
import dev.switchboard.core.StartPosition;
import dev.switchboard.core.StoredEvent;
import dev.switchboard.core.Subscription;
import dev.switchboard.core.SubscriptionSpec;
import dev.switchboard.core.Switchboard;
import dev.switchboard.delivery.ParkingLot;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.util.List;

/**
 * The events a trigger could not deliver and had no dead-letter sink for: kept durably in a broker of
 * their own ({@code parked/<namespace>/<trigger>}) instead of being dropped, listed by the admin API,
 * and redriven on request through the trigger's sink (in order, without the error extensions). The parked log exists only once
 * something was parked.
 *
 * <p>A redrive covers the events parked when it was asked for; events that fail again are parked
 * again, after them, and wait for the next redrive.
 */
public final class ParkedEvents {
    static final String PREFIX = "parked/";
    private static final String REDRIVE = "redrive";
    private static final List<String> ERROR_EXTENSIONS =
            List.of("knativeerrordest", "knativeerrorcode", "knativeerrordata");

    private final Switchboard switchboard;
    private final String trigger;
    private Broker broker;
    private EventSink sink;
    private Subscription redrive;
    private volatile long redriveUntil = -1;

    /**
     * The parked log is opened only once something is parked (or was, before a restart): a broker is
     * a column family of the store, and thousands of triggers that never park must not cost thousands
     * of them.
     */
    ParkedEvents(Switchboard switchboard, String trigger) {
        this.switchboard = switchboard;
        this.trigger = trigger;
        if (switchboard.hasStoredBroker(name())) {
            open();
        }
    }

    /** The parked log's broker name; built when needed, not kept for each of thousands of triggers. */
    private String name() {
        return PREFIX + trigger;
    }

    ParkingLot parkingLot() {
        return event -> open().publish(event);
    }

    /** (Re)connects redrives to the trigger's current sink; the redrive cursor is kept. */
    synchronized void redriveTo(EventSink sink) {
        this.sink = sink;
        if (broker != null) {
            subscribeRedrive();
        }
    }

    private synchronized Broker open() {
        if (broker == null) {
            broker = switchboard.broker(name());
            if (sink != null) {
                subscribeRedrive();
            }
        }
        return broker;
    }

    private void subscribeRedrive() {
        if (redrive != null) {
            redrive.close();
        }
        EventSink withoutErrors = event -> sink.deliver(withoutErrorExtensions(event));
        redrive = broker.subscribe(SubscriptionSpec.of(REDRIVE, withoutErrors)
                .withOrdering(Ordering.ORDERED)
                .withStart(StartPosition.earliest())
                .withStartPaused(redriveUntil < 0));
    }

    /** Parked events not yet redriven, oldest first. */
    public synchronized List<StoredEvent> list(int max) {
        return redrive == null ? List.of() : broker.read(redrive.stats().committedOffset(), max);
    }

    /** Starts redriving everything parked so far; returns how many events that is. */
    public synchronized long startRedrive() {
        if (redrive == null) {
            return 0;
        }
        long end = broker.stats().endOffset();
        long pending = Math.max(0, end - redrive.stats().committedOffset());
        if (pending > 0) {
            redriveUntil = end;
            redrive.resume();
        }
        return pending;
    }

    public boolean redriving() {
        return redriveUntil >= 0;
    }

    /** Pauses a redrive once it has passed the events it was asked for. */
    synchronized void checkRedrive() {
        if (redrive != null && redriveUntil >= 0 && redrive.stats().committedOffset() >= redriveUntil) {
            redrive.pause();
            redriveUntil = -1;
        }
    }

    synchronized void close() {
        if (redrive != null) {
            redrive.close();
        }
    }

    private static CloudEvent withoutErrorExtensions(CloudEvent event) {
        CloudEventBuilder builder = CloudEventBuilder.v1(event);
        ERROR_EXTENSIONS.forEach(builder::withoutExtension);
        return builder.build();
    }
}
