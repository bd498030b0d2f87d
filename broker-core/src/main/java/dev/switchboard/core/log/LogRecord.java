package dev.switchboard.core.log;

import dev.switchboard.core.BrokerException;
import io.cloudevents.CloudEvent;

/**
 * One record read from a broker's log: either a decoded event or the reason it could not be read.
 *
 * @param offset the record's offset
 * @param arrivalMillis when the broker accepted it (epoch milliseconds)
 * @param size the stored size in bytes
 * @param event the event, or {@code null} when the record is unreadable
 * @param corruption why the record is unreadable, or {@code null}
 */
public record LogRecord(long offset, long arrivalMillis, int size, CloudEvent event, BrokerException corruption) {

    public static LogRecord readable(long offset, long arrivalMillis, int size, CloudEvent event) {
        return new LogRecord(offset, arrivalMillis, size, event, null);
    }

    public static LogRecord corrupt(long offset, int size, BrokerException corruption) {
        return new LogRecord(offset, 0, size, null, corruption);
    }

    public boolean isCorrupt() {
        return corruption != null;
    }
}
