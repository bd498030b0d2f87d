package dev.switchboard.server.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One problem (or warning) in a configuration file.
 *
 * @param file the file
 * @param line the line the offending field starts on (1-based)
 * @param field its path in the resource ({@code spec.delivery.backoffDelay}), prefixed with the
 *     resource when one is known ({@code Trigger default/orders: spec.broker})
 * @param message what is wrong
 */
public record ConfigProblem(Path file, int line, String field, String message) {
    public ConfigProblem {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
    }

    /** {@code file:line: field: message}, the format of {@code switchboard validate}. */
    @Override
    public String toString() {
        return file + ":" + line + ": " + field + ": " + message;
    }
}
