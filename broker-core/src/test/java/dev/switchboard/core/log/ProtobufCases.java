package dev.switchboard.core.log;

import com.google.protobuf.Timestamp;
import dev.switchboard.core.testing.TestEvents;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.protobuf.ProtoCloudEventData;
import io.cloudevents.protobuf.ProtobufFormat;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.stream.Stream;

/** Events that exercise every part of the protobuf format the store's reader and writer handle. */
final class ProtobufCases {
    private ProtobufCases() {}

    static Stream<CloudEvent> events() {
        return Stream.of(
                TestEvents.event("plain"),
                CloudEventBuilder.v1()
                        .withId("every-attribute")
                        .withSource(URI.create("https://example.com/orders?x=1#f"))
                        .withType("com.example.created")
                        .withSubject("order-42")
                        .withDataSchema(URI.create("https://example.com/schema.json"))
                        .withTime(OffsetDateTime.of(2026, 11, 23, 12, 0, 1, 123_456_789, ZoneOffset.UTC))
                        .withExtension("text", "a")
                        .withExtension("empty", "")
                        .withExtension("count", -7)
                        .withExtension("flag", true)
                        .withExtension("link", URI.create("https://example.com/x"))
                        .withExtension("ref", URI.create("/relative/ref"))
                        .withExtension("blob", new byte[] {0, 1, 2, (byte) 0xff})
                        .withExtension("stamp", OffsetDateTime.of(1969, 12, 31, 23, 59, 59, 1, ZoneOffset.UTC))
                        .withData("application/octet-stream", new byte[] {0, (byte) 0x80, 0x7f})
                        .build(),
                CloudEventBuilder.v1(TestEvents.event("json"))
                        .withData("application/json", "{\"caf\u00e9\":\"\u20ac\"}".getBytes(StandardCharsets.UTF_8))
                        .build(),
                CloudEventBuilder.v1(TestEvents.event("text"))
                        .withData("text/plain", "hello".getBytes(StandardCharsets.UTF_8))
                        .build(),
                CloudEventBuilder.v1(TestEvents.event("empty-data"))
                        .withData("application/octet-stream", new byte[0])
                        .build(),
                CloudEventBuilder.v1()
                        .withId("no-data")
                        .withSource(URI.create("/s"))
                        .withType("t")
                        .build(),
                CloudEventBuilder.v1()
                        .withId("caf\u00e9-\ud83d\ude00")
                        .withSource(URI.create("/s\u00fc"))
                        .withType("t\u20ac")
                        .withExtension("accent", "\u00e9")
                        .build(),
                CloudEventBuilder.v03()
                        .withId("v03")
                        .withSource(URI.create("/s"))
                        .withType("t")
                        .withSubject("s")
                        .withData("text/plain", "x".getBytes(StandardCharsets.UTF_8))
                        .build(),
                CloudEventBuilder.v1(TestEvents.event("edge-values"))
                        .withExtension("zero", 0)
                        .withExtension("no", false)
                        .withExtension("epoch", OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC))
                        .withExtension("local", OffsetDateTime.of(2026, 1, 2, 3, 4, 5, 0, ZoneOffset.ofHours(-5)))
                        .withExtension("big", 12_345_678_901L)
                        .withExtension("ratio", 0.25)
                        .withExtension("unicode", "caf\u00e9 \u20ac \ud83d\ude00")
                        .withExtension("nothing", new byte[0])
                        .withData("application/cloudevents+json", "{}".getBytes(StandardCharsets.UTF_8))
                        .build(),
                CloudEventBuilder.v1(TestEvents.event("proto-data"))
                        .withData(
                                ProtobufFormat.PROTO_DATA_CONTENT_TYPE,
                                ProtoCloudEventData.wrap(
                                        Timestamp.newBuilder().setSeconds(42).build()))
                        .build());
    }
}
