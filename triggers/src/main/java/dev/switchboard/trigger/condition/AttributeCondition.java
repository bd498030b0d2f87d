package dev.switchboard.trigger.condition;

import io.cloudevents.CloudEvent;
import java.util.Objects;

/**
 * One attribute compared with one value: exact, prefix, suffix, or (Knative's {@code
 * filter.attributes} with an empty value) present and non-empty. A missing attribute never matches.
 * Comparisons are case-sensitive.
 */
public final class AttributeCondition implements Condition {
    /** How the attribute is compared. */
    public enum Kind {
        EQUALS("is not"),
        PREFIX("does not start with"),
        SUFFIX("does not end with"),
        NON_EMPTY("is empty");

        private final String failure;

        Kind(String failure) {
            this.failure = failure;
        }
    }

    private final Kind kind;
    private final String attribute;
    private final String value;
    private final String path;

    public AttributeCondition(Kind kind, String attribute, String value, String path) {
        this.kind = Objects.requireNonNull(kind, "kind");
        // Attribute names and field paths come from a small vocabulary (type, source, spec.filter...)
        // that 10,000 triggers repeat: one instance of each, not one per trigger.
        this.attribute = Objects.requireNonNull(attribute, "attribute").intern();
        this.value = Objects.requireNonNull(value, "value");
        this.path = Objects.requireNonNull(path, "path").intern();
    }

    public Kind kind() {
        return kind;
    }

    public String attribute() {
        return attribute;
    }

    public String value() {
        return value;
    }

    @Override
    public boolean test(CloudEvent event) {
        String actual = EventAttributes.text(event, attribute);
        if (actual == null) {
            return false;
        }
        return switch (kind) {
            case EQUALS -> actual.equals(value);
            case PREFIX -> actual.startsWith(value);
            case SUFFIX -> actual.endsWith(value);
            case NON_EMPTY -> !actual.isEmpty();
        };
    }

    @Override
    public String whyNot(CloudEvent event) {
        if (test(event)) {
            return null;
        }
        String actual = EventAttributes.text(event, attribute);
        if (actual == null) {
            return path + ": the event has no attribute \"" + attribute + "\"";
        }
        if (kind == Kind.NON_EMPTY) {
            return path + ": \"" + attribute + "\" is empty";
        }
        return path + ": \"" + actual + "\" " + kind.failure + " \"" + value + "\"";
    }

    @Override
    public <R> R accept(ConditionVisitor<R> visitor) {
        return switch (kind) {
            case EQUALS -> visitor.equals(this);
            case PREFIX -> visitor.prefix(this);
            default -> visitor.other(this);
        };
    }
}
