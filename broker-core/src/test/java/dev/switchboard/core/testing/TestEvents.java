package dev.switchboard.core.testing;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;

/** Canonical events for tests of every module. */
public final class TestEvents {
    public static final String TYPE = "com.example.order.created";
    public static final URI SOURCE = URI.create("/switchboard/tests");

    private TestEvents() {}

    /** A small JSON event with this id. */
    public static CloudEvent event(String id) {
        return CloudEventBuilder.v1()
                .withId(id)
                .withType(TYPE)
                .withSource(SOURCE)
                .withSubject("order-" + id)
                .withTime(OffsetDateTime.of(2026, 11, 23, 12, 0, 0, 0, ZoneOffset.UTC))
                .withExtension("tenant", "acme")
                .withDataContentType("application/json")
                .withData(("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8))
                .build();
    }

    /** An event with this id, type and a payload of {@code dataBytes} bytes. */
    public static CloudEvent event(String id, String type, int dataBytes) {
        byte[] data = new byte[dataBytes];
        Arrays.fill(data, (byte) 'x');
        return CloudEventBuilder.v1()
                .withId(id)
                .withType(type)
                .withSource(SOURCE)
                .withDataContentType("application/octet-stream")
                .withData(data)
                .build();
    }
}
