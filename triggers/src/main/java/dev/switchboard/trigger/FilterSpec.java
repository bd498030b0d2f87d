package dev.switchboard.trigger;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One filter of the CloudEvents SubscriptionsAPI dialect, as written in a Trigger's {@code
 * spec.filters}. Maps and lists are copied; validation happens in {@link FilterCompiler}, which names
 * the offending field.
 */
public sealed interface FilterSpec
        permits FilterSpec.Exact,
                FilterSpec.Prefix,
                FilterSpec.Suffix,
                FilterSpec.All,
                FilterSpec.Any,
                FilterSpec.Not,
                FilterSpec.Cesql {

    /** Every attribute equals its value. */
    record Exact(Map<String, String> attributes) implements FilterSpec {
        public Exact {
            attributes = Map.copyOf(Objects.requireNonNull(attributes, "attributes"));
        }
    }

    /** Every attribute starts with its value. */
    record Prefix(Map<String, String> attributes) implements FilterSpec {
        public Prefix {
            attributes = Map.copyOf(Objects.requireNonNull(attributes, "attributes"));
        }
    }

    /** Every attribute ends with its value. */
    record Suffix(Map<String, String> attributes) implements FilterSpec {
        public Suffix {
            attributes = Map.copyOf(Objects.requireNonNull(attributes, "attributes"));
        }
    }

    /** Every filter matches. */
    record All(List<FilterSpec> filters) implements FilterSpec {
        public All {
            filters = List.copyOf(Objects.requireNonNull(filters, "filters"));
        }
    }

    /** At least one filter matches. */
    record Any(List<FilterSpec> filters) implements FilterSpec {
        public Any {
            filters = List.copyOf(Objects.requireNonNull(filters, "filters"));
        }
    }

    /** The filter does not match. */
    record Not(FilterSpec filter) implements FilterSpec {
        public Not {
            Objects.requireNonNull(filter, "filter");
        }
    }

    /** A CESQL v1 expression that evaluates to true. */
    record Cesql(String expression) implements FilterSpec {
        public Cesql {
            Objects.requireNonNull(expression, "expression");
        }
    }

    static FilterSpec exact(String attribute, String value) {
        return new Exact(Map.of(attribute, value));
    }

    static FilterSpec prefix(String attribute, String value) {
        return new Prefix(Map.of(attribute, value));
    }

    static FilterSpec suffix(String attribute, String value) {
        return new Suffix(Map.of(attribute, value));
    }

    static FilterSpec all(FilterSpec... filters) {
        return new All(List.of(filters));
    }

    static FilterSpec any(FilterSpec... filters) {
        return new Any(List.of(filters));
    }

    static FilterSpec not(FilterSpec filter) {
        return new Not(filter);
    }

    static FilterSpec cesql(String expression) {
        return new Cesql(expression);
    }
}
