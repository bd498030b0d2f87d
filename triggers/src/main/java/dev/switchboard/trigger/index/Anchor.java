package dev.switchboard.trigger.index;

import java.util.Objects;

/**
 * A condition that every event a filter matches must meet, and that the index can look up: an
 * attribute equal to a value, or starting with a prefix.
 */
public record Anchor(String attribute, String value, boolean prefix) {
    public Anchor {
        Objects.requireNonNull(attribute, "attribute");
        Objects.requireNonNull(value, "value");
    }

    /** Lower is more selective: exact before prefix, type before source before subject before others. */
    public int cost() {
        int attributeRank =
                switch (attribute) {
                    case "type" -> 0;
                    case "source" -> 1;
                    case "subject" -> 2;
                    case "id" -> 9;
                    default -> 3;
                };
        return (prefix ? 10 : 0) + attributeRank;
    }
}
