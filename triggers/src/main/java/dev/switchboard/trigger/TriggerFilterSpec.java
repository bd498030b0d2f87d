package dev.switchboard.trigger;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Trigger's filtering, as Knative defines it: {@code spec.filter.attributes} (every entry must match
 * exactly) and {@code spec.filters} (SubscriptionsAPI filters, all of which must match). When {@code
 * filters} is non-empty it replaces {@code attributes}; with neither, every event matches.
 *
 * @param trigger the trigger's name, used in validation messages
 * @param attributes {@code spec.filter.attributes}
 * @param filters {@code spec.filters}
 */
public record TriggerFilterSpec(String trigger, Map<String, String> attributes, List<FilterSpec> filters) {
    public TriggerFilterSpec {
        Objects.requireNonNull(trigger, "trigger");
        attributes = Map.copyOf(Objects.requireNonNull(attributes, "attributes"));
        filters = List.copyOf(Objects.requireNonNull(filters, "filters"));
    }

    public static TriggerFilterSpec matchAll(String trigger) {
        return new TriggerFilterSpec(trigger, Map.of(), List.of());
    }

    public static TriggerFilterSpec attributes(String trigger, Map<String, String> attributes) {
        return new TriggerFilterSpec(trigger, attributes, List.of());
    }

    public static TriggerFilterSpec filters(String trigger, FilterSpec... filters) {
        return new TriggerFilterSpec(trigger, Map.of(), List.of(filters));
    }
}
