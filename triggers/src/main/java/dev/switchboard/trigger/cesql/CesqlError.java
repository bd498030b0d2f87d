package dev.switchboard.trigger.cesql;

/** The error kinds of the CESQL v1 specification (and its conformance suite). */
public enum CesqlError {
    PARSE,
    MATH,
    CAST,
    MISSING_FUNCTION,
    FUNCTION_EVALUATION,
    MISSING_ATTRIBUTE,
    GENERIC
}
