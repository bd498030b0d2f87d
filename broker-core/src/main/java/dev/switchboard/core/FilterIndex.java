package dev.switchboard.core;

import io.cloudevents.CloudEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Finds, among a broker's subscriptions, those whose filter matches an event, ideally without asking
 * each of them. A broker reads each event once and hands it only to the subscriptions this index
 * returns, so with thousands of subscriptions the cost of an event follows how many it could match.
 *
 * <p>Changes and matching happen on one thread at a time (the broker's fan-out loop); an implementation
 * need not be thread-safe.
 *
 * @param <K> the handle the broker files each subscription under
 */
public interface FilterIndex<K> {

    /** Files {@code key} under {@code filter}, replacing an earlier filter of the same key. */
    void put(K key, EventFilter filter);

    void remove(K key);

    /**
     * Passes every key whose filter matches the event to {@code matched}, each once. A filter that
     * throws may end the call with that exception; the broker then asks each filter on its own.
     */
    void match(CloudEvent event, Consumer<K> matched);

    /** An index that asks every filter: fine for tens of subscriptions. */
    static <K> FilterIndex<K> linear() {
        return new FilterIndex<>() {
            private final Map<K, EventFilter> filters = new LinkedHashMap<>();

            @Override
            public void put(K key, EventFilter filter) {
                filters.put(key, filter);
            }

            @Override
            public void remove(K key) {
                filters.remove(key);
            }

            @Override
            public void match(CloudEvent event, Consumer<K> matched) {
                filters.forEach((key, filter) -> {
                    if (filter.test(event)) {
                        matched.accept(key);
                    }
                });
            }
        };
    }

    /**
     * Makes the index of each broker. A {@link Switchboard} uses the first factory that {@link
     * java.util.ServiceLoader} finds on the class path (the triggers module provides one that indexes
     * its compiled filters), else {@link #linear()}.
     */
    interface Factory {
        <K> FilterIndex<K> create();
    }
}
