package dev.switchboard.trigger;

import dev.switchboard.core.EventFilter;
import dev.switchboard.core.FilterIndex;
import io.cloudevents.CloudEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A broker's {@link FilterIndex} on a {@link TriggerIndex}: compiled trigger filters are found through
 * their anchors; any other filter (an embedded program's lambda) is asked for every event.
 *
 * <p>Found by {@link java.util.ServiceLoader} through {@link Factory}, so every Switchboard with this
 * module on its class path uses it.
 *
 * @param <K> the broker's handle for a subscription
 */
public final class TriggerFilterIndex<K> implements FilterIndex<K> {
    private final TriggerIndex<K> compiled = new TriggerIndex<>();
    private final Map<K, EventFilter> plain = new LinkedHashMap<>();

    @Override
    public void put(K key, EventFilter filter) {
        remove(key);
        if (filter instanceof CompiledFilter compiledFilter) {
            compiled.put(key, compiledFilter);
        } else {
            plain.put(key, filter);
        }
    }

    @Override
    public void remove(K key) {
        compiled.remove(key);
        plain.remove(key);
    }

    @Override
    public void match(CloudEvent event, Consumer<K> matched) {
        compiled.match(event).forEach(matched);
        plain.forEach((key, filter) -> {
            if (filter.test(event)) {
                matched.accept(key);
            }
        });
    }

    /** The service the broker core loads. */
    public static final class Factory implements FilterIndex.Factory {
        @Override
        public <K> FilterIndex<K> create() {
            return new TriggerFilterIndex<>();
        }
    }
}
