package dev.switchboard.trigger.cesql;

/** A CESQL expression that does not parse. */
public final class CesqlParseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CesqlParseException(String message, Throwable cause) {
        super(message, cause);
    }
}
