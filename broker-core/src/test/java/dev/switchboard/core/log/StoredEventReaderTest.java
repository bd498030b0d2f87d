package dev.switchboard.core.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.CodedOutputStream;
import dev.switchboard.core.testing.TestEvents;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.protobuf.ProtobufFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The stored-event reader against the SDK's own protobuf deserializer, which it must agree with. */
class StoredEventReaderTest {
    private static final EventFormat SDK = new ProtobufFormat();
    private static final int AT = 5; // where the event starts in the record: any offset works

    @ParameterizedTest
    @MethodSource("dev.switchboard.core.log.ProtobufCases#events")
    void shouldReadWhatTheSdkReads(CloudEvent event) throws IOException {
        byte[] encoded = SDK.serialize(event);

        CloudEvent read = StoredEventReader.read(record(encoded), AT);

        // Recursive: the SDK compares byte[] extensions by reference.
        assertThat(read).usingRecursiveComparison().isEqualTo(SDK.deserialize(encoded));
    }

    @Test
    void shouldReadTheSameSourceTwiceAndThenAnother() throws IOException {
        for (String source : List.of("/a", "/a", "https://example.com/b", "/a")) {
            CloudEvent event = CloudEventBuilder.v1(TestEvents.event("e"))
                    .withSource(URI.create(source))
                    .build();
            assertThat(StoredEventReader.read(record(SDK.serialize(event)), AT).getSource())
                    .isEqualTo(URI.create(source));
        }
    }

    @Test
    void shouldSkipUnknownFieldsAndKnownNumbersWithAnotherWireTypeAsTheSdkDoes() throws IOException {
        ByteArrayOutputStream extra = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(extra);
        out.writeUInt64(1, 99); // field 1 (the id) as a varint: an unknown field to protobuf
        out.writeString(15, "a field of a later schema");
        out.writeFixed32(16, 7);
        out.flush();
        byte[] encoded = concat(SDK.serialize(TestEvents.event("e-1")), extra.toByteArray());

        CloudEvent read = StoredEventReader.read(record(encoded), AT);

        assertThat(read).isEqualTo(SDK.deserialize(encoded));
        assertThat(read.getId()).isEqualTo("e-1");
    }

    @Test
    void shouldRefuseTextDataThatIsNotUtf8AsTheSdkDoes() throws IOException {
        // text_data (field 7) in Latin-1
        byte[] encoded = handWritten("1.0", out -> out.writeByteArray(7, new byte[] {'c', 'a', 'f', (byte) 0xe9}));

        assertThatThrownBy(() -> SDK.deserialize(encoded)).isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> StoredEventReader.read(record(encoded), AT)).hasMessageContaining("not valid UTF-8");
    }

    @Test
    void shouldRefuseATruncatedEvent() {
        byte[] encoded = SDK.serialize(TestEvents.event("e-1"));
        byte[] truncated = java.util.Arrays.copyOf(encoded, encoded.length - 10);

        assertThatThrownBy(() -> StoredEventReader.read(record(truncated), AT)).isInstanceOf(IOException.class);
    }

    @Test
    void shouldRefuseAnUnknownSpecVersion() throws IOException {
        byte[] encoded = handWritten("9.9", out -> {});

        assertThatThrownBy(() -> StoredEventReader.read(record(encoded), AT))
                .isInstanceOf(RuntimeException.class)
                .hasMessageContaining("9.9");
    }

    private interface Fields {
        void writeTo(CodedOutputStream out) throws IOException;
    }

    /** An event's required fields (id, source, spec version, type) written by hand, then {@code more}. */
    private static byte[] handWritten(String specVersion, Fields more) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        out.writeString(1, "e");
        out.writeString(2, "/s");
        out.writeString(3, specVersion);
        out.writeString(4, "t");
        more.writeTo(out);
        out.flush();
        return bytes.toByteArray();
    }

    /** The encoded event behind a few header bytes, as in a stored record. */
    private static byte[] record(byte[] encoded) {
        return concat(new byte[AT], encoded);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }
}
