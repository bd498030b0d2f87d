package dev.switchboard.trigger.cesql;

/**
 * The result of evaluating a CESQL expression on an event. As CESQL v1 specifies, an evaluation error
 * still yields a value (the zero value of the expected type) alongside the error.
 *
 * @param value a {@link Boolean}, {@link Integer} or {@link String}
 * @param error the first error raised during evaluation, or {@code null}
 */
public record CesqlEvaluation(Object value, CesqlError error) {
    public boolean failed() {
        return error != null;
    }
}
