package dev.switchboard.trigger;

import java.util.Objects;

/**
 * One thing wrong with a trigger's filter.
 *
 * @param path the field, as written in the Trigger resource: {@code spec.filters[1].any[0].prefix.type}
 * @param message what is wrong with it
 */
public record FilterProblem(String path, String message) {
    public FilterProblem {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return path + ": " + message;
    }
}
