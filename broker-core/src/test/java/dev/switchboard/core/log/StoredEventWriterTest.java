package dev.switchboard.core.log;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.Timestamp;
import dev.switchboard.core.testing.TestEvents;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.protobuf.ProtobufFormat;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The stored-event writer against the SDK's own protobuf serializer, which it must agree with. */
class StoredEventWriterTest {
    private static final EventFormat SDK = new ProtobufFormat();
    private static final int AT = 3; // the header in front of the event: any length works

    @ParameterizedTest
    @MethodSource("dev.switchboard.core.log.ProtobufCases#events")
    void shouldWriteTheBytesTheSdkWrites(CloudEvent event) {
        byte[] record = StoredEventWriter.write(event, AT);

        assertThat(Arrays.copyOf(record, AT)).containsOnly(0);
        assertThat(Arrays.copyOfRange(record, AT, record.length)).isEqualTo(SDK.serialize(event));
    }

    @Test
    void shouldWriteAnUnpairedSurrogateAsTheSdkDoes() {
        // Not UTF-8 encodable: protobuf writes '?' in its place; the writer must agree, byte for byte.
        CloudEvent event = CloudEventBuilder.v1(TestEvents.event("lone-\ud800"))
                .withExtension("lone", "a\udc00b")
                .build();

        byte[] record = StoredEventWriter.write(event, AT);

        assertThat(Arrays.copyOfRange(record, AT, record.length)).isEqualTo(SDK.serialize(event));
    }

    @Test
    void shouldLeaveProtobufDataGivenAsBytesToTheSdk() {
        byte[] packed = Any.pack(Timestamp.newBuilder().setSeconds(7).build()).toByteArray();
        CloudEvent event = CloudEventBuilder.v1(TestEvents.event("any-bytes"))
                .withData(ProtobufFormat.PROTO_DATA_CONTENT_TYPE, packed)
                .build();

        byte[] record = StoredEventWriter.write(event, AT);

        assertThat(Arrays.copyOfRange(record, AT, record.length)).isEqualTo(SDK.serialize(event));
    }
}
