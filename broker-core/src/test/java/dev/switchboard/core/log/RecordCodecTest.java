package dev.switchboard.core.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.BrokerException;
import dev.switchboard.core.testing.TestEvents;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.data.PojoCloudEventData;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RecordCodecTest {
    private final RecordCodec codec = new RecordCodec();

    @Test
    void shouldRoundTripEveryAttributeExtensionAndData() {
        CloudEvent event = TestEvents.event("e-1");
        byte[] record = codec.encode(event);
        RecordCodec.stampArrival(record, 1_700_000_000_123L);

        LogRecord decoded = codec.decode("orders", 7, record);

        assertThat(decoded.isCorrupt()).isFalse();
        assertThat(decoded.event()).isEqualTo(event);
        assertThat(decoded.offset()).isEqualTo(7);
        assertThat(decoded.arrivalMillis()).isEqualTo(1_700_000_000_123L);
        assertThat(decoded.size()).isEqualTo(record.length);
    }

    @Test
    void shouldRoundTripAnEventWithoutData() {
        CloudEvent event = CloudEventBuilder.v1()
                .withId("no-data")
                .withType("t")
                .withSource(URI.create("/s"))
                .build();

        assertThat(codec.decode("b", 0, codec.encode(event)).event()).isEqualTo(event);
    }

    @Test
    void shouldReadBackEveryAttributeTypeItClaimsToKeep() {
        CloudEvent event = CloudEventBuilder.v1(TestEvents.event("e-1"))
                .withExtension("text", "a")
                .withExtension("count", 7)
                .withExtension("flag", true)
                .withExtension("link", URI.create("https://example.com/x"))
                .withExtension("blob", new byte[] {1, 2, 3})
                .withExtension("stamp", OffsetDateTime.of(2026, 1, 2, 3, 4, 5, 6_000, ZoneOffset.UTC))
                .build();

        assertThat(RecordCodec.readsBackAs(event)).isTrue();
        // Recursive: the SDK compares byte[] extensions by reference.
        assertThat(codec.decode("b", 0, codec.encode(event)).event())
                .usingRecursiveComparison()
                .isEqualTo(event);
    }

    @Test
    void shouldNotClaimToReadBackWhatTheFormatNormalises() {
        OffsetDateTime notUtc = OffsetDateTime.of(2026, 1, 2, 3, 4, 5, 0, ZoneOffset.ofHours(2));
        CloudEvent localTime =
                CloudEventBuilder.v1(TestEvents.event("e-1")).withTime(notUtc).build();
        CloudEvent localStamp = CloudEventBuilder.v1(TestEvents.event("e-1"))
                .withExtension("stamp", notUtc)
                .build();
        CloudEvent pojoData = CloudEventBuilder.v1(TestEvents.event("e-1"))
                .withData(PojoCloudEventData.wrap("x", s -> s.getBytes(StandardCharsets.UTF_8)))
                .build();

        assertThat(RecordCodec.readsBackAs(localTime)).isFalse();
        assertThat(RecordCodec.readsBackAs(localStamp)).isFalse();
        assertThat(RecordCodec.readsBackAs(pojoData)).isFalse();
        assertThat(codec.decode("b", 0, codec.encode(localTime)).event()).isNotEqualTo(localTime);
    }

    @Test
    void shouldRefuseTextualDataThatIsNotUtf8RatherThanStoreAnUnreadableRecord() {
        byte[] latin1 = "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1);
        CloudEvent json = CloudEventBuilder.v1(TestEvents.event("e-1"))
                .withData("application/json", latin1)
                .build();
        CloudEvent binary = CloudEventBuilder.v1(TestEvents.event("e-2"))
                .withData("application/octet-stream", latin1)
                .build();

        assertThatThrownBy(() -> codec.encode(json))
                .isInstanceOfSatisfying(
                        BrokerException.class, e -> assertThat(e.kind()).isEqualTo(BrokerException.Kind.INVALID_EVENT))
                .hasMessageContaining("e-1")
                .hasMessageContaining("not valid UTF-8");
        assertThat(codec.decode("b", 0, codec.encode(binary)).event()).isEqualTo(binary);
    }

    @Test
    void shouldReportAFlippedByteWithBrokerAndOffset() {
        byte[] record = codec.encode(TestEvents.event("e-1"));
        record[record.length - 3] ^= 0x40;

        LogRecord decoded = codec.decode("orders", 42, record);

        assertThat(decoded.isCorrupt()).isTrue();
        assertThat(decoded.corruption().kind()).isEqualTo(BrokerException.Kind.CORRUPT_RECORD);
        assertThat(decoded.corruption())
                .hasMessageContaining("'orders'")
                .hasMessageContaining("offset 42")
                .hasMessageContaining("checksum");
    }

    @Test
    void shouldReportATruncatedRecord() {
        LogRecord decoded = codec.decode("orders", 3, new byte[] {1, 1, 0});

        assertThat(decoded.corruption())
                .hasMessageContaining("offset 3")
                .hasMessageContaining("shorter than its header");
    }

    @Test
    void shouldReportAnUnknownFormatVersion() {
        byte[] record = codec.encode(TestEvents.event("e-1"));
        record[0] = 9;

        assertThat(codec.decode("orders", 5, record).corruption()).hasMessageContaining("unknown record format 9");
    }

    @Test
    void shouldRejectAnEventItCannotEncode() {
        CloudEvent event = CloudEventBuilder.v1()
                .withId("bad-ext")
                .withType("t")
                .withSource(URI.create("/s"))
                .withExtension("count", 3)
                .build();

        // Integer extensions are valid CloudEvents; the protobuf format carries them.
        assertThat(codec.decode("b", 0, codec.encode(event)).event()).isEqualTo(event);
        assertThatThrownBy(() -> codec.encode(null)).isInstanceOf(NullPointerException.class);
    }
}
