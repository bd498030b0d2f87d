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
 * and redriven on request through the trigger's sink (in order, without the error extensions).
 *
 * <p>A redrive covers the events parked when it was asked for; events that fail again are parked
 * again, after them, and wait for the next redrive.
 */
public final class ParkedEvents {
    static final String PREFIX = "parked/";
    private static final String REDRIVE = "redrive";
    private static final List<String> ERROR_EXTENSIONS =
            List.of("knativeerrordest", "knativeerrorcode", "knativeerrordata");

    private final Broker broker;
    private Subscription redrive;
    private volatile long redriveUntil = -1;

    ParkedEvents(Switchboard switchboard, String trigger) {
        this.broker = switchboard.broker(PREFIX + trigger);
    }

    ParkingLot parkingLot() {
        return broker::publish;
    }

    /** (Re)connects redrives to the trigger's current sink; the redrive cursor is kept. */
    synchronized void redriveTo(EventSink sink) {
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
    public List<StoredEvent> list(int max) {
        return broker.read(redrive.stats().committedOffset(), max);
    }

    /** Starts redriving everything parked so far; returns how many events that is. */
    public synchronized long startRedrive() {
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
        if (redriveUntil >= 0 && redrive.stats().committedOffset() >= redriveUntil) {
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
