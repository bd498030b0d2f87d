package dev.switchboard.server.http;

import dev.switchboard.delivery.BrokerTtl;
import io.cloudevents.CloudEvent;
import io.cloudevents.CloudEventData;
import io.cloudevents.SpecVersion;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.rw.CloudEventContextWriter;
import io.cloudevents.rw.CloudEventRWException;
import io.cloudevents.rw.CloudEventWriter;
import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * Reads an incoming event into the SDK's builder and adds what the ingress stamps on it, so that each
 * event is built once: the arrival time ({@code knativearrivaltime}, as Knative's ingress sets it) and
 * the loop guard's TTL as the log keeps it — left out when it is the default, so that deliveries need
 * not copy the event to hide it again.
 */
final class StampingWriter implements CloudEventWriter<CloudEvent> {
    static final String ARRIVAL_TIME = "knativearrivaltime";

    /** The last arrival time formatted, reused for every event that arrives in the same millisecond. */
    private static volatile ArrivalTime lastArrival = new ArrivalTime(Long.MIN_VALUE, "");

    private final CloudEventBuilder builder;
    private Object ttlValue;

    private StampingWriter(SpecVersion version) {
        this.builder = CloudEventBuilder.fromSpecVersion(version);
    }

    /** The writer factory for {@code MessageReader.read}. */
    static StampingWriter create(SpecVersion version) {
        return new StampingWriter(version);
    }

    @Override
    public CloudEventContextWriter withContextAttribute(String name, String value) throws CloudEventRWException {
        if (!keep(name, value)) {
            builder.withContextAttribute(name, value);
        }
        return this;
    }

    @Override
    public CloudEventContextWriter withContextAttribute(String name, URI value) throws CloudEventRWException {
        if (!keep(name, value)) {
            builder.withContextAttribute(name, value);
        }
        return this;
    }

    @Override
    public CloudEventContextWriter withContextAttribute(String name, OffsetDateTime value)
            throws CloudEventRWException {
        if (!keep(name, value)) {
            builder.withContextAttribute(name, value);
        }
        return this;
    }

    @Override
    public CloudEventContextWriter withContextAttribute(String name, Number value) throws CloudEventRWException {
        if (!keep(name, value)) {
            builder.withContextAttribute(name, value);
        }
        return this;
    }

    @Override
    public CloudEventContextWriter withContextAttribute(String name, Integer value) throws CloudEventRWException {
        if (!keep(name, value)) {
            builder.withContextAttribute(name, value);
        }
        return this;
    }

    @Override
    public CloudEventContextWriter withContextAttribute(String name, Boolean value) throws CloudEventRWException {
        if (!keep(name, value)) {
            builder.withContextAttribute(name, value);
        }
        return this;
    }

    @Override
    public CloudEventContextWriter withContextAttribute(String name, byte[] value) throws CloudEventRWException {
        if (!keep(name, value)) {
            builder.withContextAttribute(name, value);
        }
        return this;
    }

    /** Holds the TTL back from the builder: {@link #stamp()} decides how it is stored. */
    private boolean keep(String name, Object value) {
        if (!BrokerTtl.EXTENSION.equals(name)) {
            return false;
        }
        ttlValue = value;
        return true;
    }

    @Override
    public CloudEvent end(CloudEventData data) throws CloudEventRWException {
        return stamp().end(data);
    }

    @Override
    public CloudEvent end() throws CloudEventRWException {
        return stamp().end();
    }

    private CloudEventBuilder stamp() {
        int ttl = BrokerTtl.parse(ttlValue);
        if (ttl != BrokerTtl.DEFAULT) {
            builder.withExtension(BrokerTtl.EXTENSION, ttl);
        }
        return builder.withExtension(ARRIVAL_TIME, arrivalTime());
    }

    /** Now, in RFC 3339 (UTC, millisecond precision); formatted once per millisecond. */
    static String arrivalTime() {
        long now = System.currentTimeMillis();
        ArrivalTime last = lastArrival;
        if (last.millis() == now) {
            return last.text();
        }
        String text = Instant.ofEpochMilli(now).toString();
        lastArrival = new ArrivalTime(now, text);
        return text;
    }

    private record ArrivalTime(long millis, String text) {}
}
