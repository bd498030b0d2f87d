package dev.switchboard.core;

import java.util.Objects;

/** A broker operation that could not be done. Callers branch on {@link #kind()}. */
public final class BrokerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why the operation failed. */
    public enum Kind {
        /** The broker holds more undelivered bytes than its buffer limit; retry later. */
        BUFFER_FULL,
        /** The broker or its store is closed. */
        CLOSED,
        /** A record in the log could not be read or failed its checksum. */
        CORRUPT_RECORD,
        /** The storage engine failed. */
        STORAGE,
        /** No broker with that name. */
        UNKNOWN_BROKER,
        /** A subscription with that name is already running on the broker. */
        DUPLICATE_SUBSCRIPTION,
        /** The event could not be encoded for the log. */
        INVALID_EVENT
    }

    private final Kind kind;

    private BrokerException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /** Push-back is routine under load, and where it was raised tells nobody anything: no stack trace. */
    private static BrokerException pushBack(String message) {
        return new BrokerException(Kind.BUFFER_FULL, message);
    }

    private BrokerException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public static BrokerException bufferFull(String broker, long unconsumedBytes, long limitBytes) {
        return pushBack("broker '" + broker + "' holds " + unconsumedBytes
                + " undelivered bytes, over its buffer limit of " + limitBytes);
    }

    /** Refused before the buffer limit, as a share of publishes that grows with the backlog. */
    public static BrokerException bufferFilling(String broker, long unconsumedBytes, long startBytes, long limitBytes) {
        return pushBack("broker '" + broker + "' holds " + unconsumedBytes
                + " undelivered bytes and refuses a growing share of publishes between " + startBytes
                + " and its buffer limit of " + limitBytes);
    }

    public static BrokerException closed(String what) {
        return new BrokerException(Kind.CLOSED, what + " is closed", null);
    }

    public static BrokerException corruptRecord(String broker, long offset, String problem) {
        return new BrokerException(
                Kind.CORRUPT_RECORD,
                "corrupt record in broker '" + broker + "' at offset " + offset + ": " + problem,
                null);
    }

    public static BrokerException storage(String message, Throwable cause) {
        return new BrokerException(Kind.STORAGE, message, cause);
    }

    public static BrokerException unknownBroker(String broker) {
        return new BrokerException(Kind.UNKNOWN_BROKER, "no broker named '" + broker + "'", null);
    }

    public static BrokerException duplicateSubscription(String broker, String name) {
        return new BrokerException(
                Kind.DUPLICATE_SUBSCRIPTION,
                "subscription '" + name + "' is already running on broker '" + broker + "'",
                null);
    }

    public static BrokerException invalidEvent(String message, Throwable cause) {
        return new BrokerException(Kind.INVALID_EVENT, message, cause);
    }
}
