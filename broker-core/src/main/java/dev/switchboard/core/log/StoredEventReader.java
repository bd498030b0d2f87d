package dev.switchboard.core.log;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.cloudevents.CloudEvent;
import io.cloudevents.SpecVersion;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.data.BytesCloudEventData;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.core.v1.CloudEventV1;
import io.cloudevents.protobuf.ProtobufFormat;
import io.cloudevents.rw.CloudEventRWException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads an event stored in the CloudEvents protobuf format ({@code cloudevents.proto}) where it lies
 * inside its record, straight into the SDK's event builder.
 *
 * <p>Why not {@link ProtobufFormat#deserialize}: it wants the encoded event as an array of its own,
 * its generated parser copies the data once more and builds a message tree (a builder and an entry
 * per attribute) that is then copied into the SDK's event. Reading a backlog spent half its time
 * there: a 1 KiB event takes ~1.3 µs to decode that way and ~0.7 µs this way ({@code
 * RecordCodecBenchmark}). The wire format is read
 * with protobuf's own {@link CodedInputStream}, the event built with the same builder calls the SDK's
 * deserializer makes, so both give equal events; {@code StoredEventReaderTest} holds this against the
 * SDK for every attribute type, unknown fields and each kind of data. Events whose data is a protobuf
 * message, which only the SDK's own data class represents, are read by the SDK.
 */
final class StoredEventReader {
    // Tags (field number << 3 | wire type) of cloudevents.proto's messages. A field that arrives with
    // another wire type is an unknown field to protobuf's generated parser, and is skipped here too.
    private static final int ID = 1 << 3 | 2;
    private static final int SOURCE = 2 << 3 | 2;
    private static final int SPEC_VERSION = 3 << 3 | 2;
    private static final int TYPE = 4 << 3 | 2;
    private static final int ATTRIBUTE = 5 << 3 | 2;
    private static final int BINARY_DATA = 6 << 3 | 2;
    private static final int TEXT_DATA = 7 << 3 | 2;
    private static final int PROTO_DATA = 8 << 3 | 2;

    private static final int ENTRY_KEY = 1 << 3 | 2;
    private static final int ENTRY_VALUE = 2 << 3 | 2;

    private static final int CE_BOOLEAN = 1 << 3;
    private static final int CE_INTEGER = 2 << 3;
    private static final int CE_STRING = 3 << 3 | 2;
    private static final int CE_BYTES = 4 << 3 | 2;
    private static final int CE_URI = 5 << 3 | 2;
    private static final int CE_URI_REF = 6 << 3 | 2;
    private static final int CE_TIMESTAMP = 7 << 3 | 2;

    private static final int SECONDS = 1 << 3;
    private static final int NANOS = 2 << 3;

    private static final EventFormat SDK_FORMAT = new ProtobufFormat();

    /**
     * The last source read and its parsed form: events of one producer share their source, and
     * parsing a URI is a tenth of the decode. Immutable, so any thread may use what another stored.
     */
    private static volatile ParsedSource lastSource = new ParsedSource("", null);

    private record ParsedSource(String text, URI uri) {}

    private StoredEventReader() {}

    /** The event encoded from {@code from} to the end of {@code record}. */
    static CloudEvent read(byte[] record, int from) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(record, from, record.length - from);
        in.enableAliasing(true); // bytes fields are views of the record, copied once below
        String id = "";
        String source = "";
        String specVersion = "";
        String type = "";
        List<Attribute> attributes = new ArrayList<>(8);
        ByteString data = null;
        boolean textData = false;
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (tag) {
                case ID -> id = in.readStringRequireUtf8();
                case SOURCE -> source = in.readStringRequireUtf8();
                case SPEC_VERSION -> specVersion = in.readStringRequireUtf8();
                case TYPE -> type = in.readStringRequireUtf8();
                case ATTRIBUTE -> attributes.add(readEmbedded(in, StoredEventReader::readAttribute));
                case BINARY_DATA, TEXT_DATA -> {
                    data = in.readBytes();
                    textData = tag == TEXT_DATA;
                }
                case PROTO_DATA -> {
                    return SDK_FORMAT.deserialize(Arrays.copyOfRange(record, from, record.length));
                }
                default -> in.skipField(tag);
            }
        }
        CloudEventBuilder builder = CloudEventBuilder.fromSpecVersion(SpecVersion.parse(specVersion));
        builder.withContextAttribute(CloudEventV1.ID, id);
        withSource(builder, source);
        builder.withContextAttribute(CloudEventV1.TYPE, type);
        for (Attribute attribute : attributes) {
            attribute.writeTo(builder);
        }
        if (data == null) {
            return builder.end();
        }
        if (textData && !data.isValidUtf8()) {
            // A protobuf string: the generated parser refuses it as well.
            throw new InvalidProtocolBufferException("text data is not valid UTF-8");
        }
        return builder.end(BytesCloudEventData.wrap(data.toByteArray()));
    }

    /** As the SDK's builder reads a source from a string, reusing the last one parsed. */
    private static void withSource(CloudEventBuilder builder, String source) {
        ParsedSource last = lastSource;
        if (!last.text().equals(source) || last.uri() == null) {
            try {
                last = new ParsedSource(source, new URI(source));
            } catch (URISyntaxException e) {
                throw CloudEventRWException.newInvalidAttributeValue(CloudEventV1.SOURCE, source, e);
            }
            lastSource = last;
        }
        builder.withSource(last.uri());
    }

    /** One entry of the attributes map; an entry without a value stands for an omitted attribute. */
    private static Attribute readAttribute(CodedInputStream in) throws IOException {
        String name = "";
        Object value = null;
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (tag) {
                case ENTRY_KEY -> name = in.readStringRequireUtf8();
                case ENTRY_VALUE -> value = readEmbedded(in, StoredEventReader::readValue);
                default -> in.skipField(tag);
            }
        }
        return new Attribute(name, value);
    }

    /** A {@code CloudEventAttributeValue}: its one set field as the type the SDK's builder takes. */
    private static Object readValue(CodedInputStream in) throws IOException {
        Object value = null;
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (tag) {
                case CE_BOOLEAN -> value = in.readBool();
                case CE_INTEGER -> value = in.readInt32();
                case CE_STRING -> value = in.readStringRequireUtf8();
                case CE_BYTES -> value = in.readByteArray();
                case CE_URI, CE_URI_REF -> value = URI.create(in.readStringRequireUtf8());
                case CE_TIMESTAMP -> value = readEmbedded(in, StoredEventReader::readTimestamp);
                default -> in.skipField(tag);
            }
        }
        return value;
    }

    private static OffsetDateTime readTimestamp(CodedInputStream in) throws IOException {
        long seconds = 0;
        int nanos = 0;
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (tag) {
                case SECONDS -> seconds = in.readInt64();
                case NANOS -> nanos = in.readInt32();
                default -> in.skipField(tag);
            }
        }
        return Instant.ofEpochSecond(seconds, nanos).atOffset(ZoneOffset.UTC);
    }

    private interface MessageReader<T> {
        T read(CodedInputStream in) throws IOException;
    }

    /** Reads a length-delimited embedded message with {@code reader}, which stops at its end. */
    private static <T> T readEmbedded(CodedInputStream in, MessageReader<T> reader) throws IOException {
        int length = in.readRawVarint32();
        int outer = in.pushLimit(length);
        T message = reader.read(in);
        in.popLimit(outer);
        return message;
    }

    private record Attribute(String name, Object value) {
        /** The builder call the SDK's deserializer makes for a value of this type. */
        void writeTo(CloudEventBuilder builder) {
            if (value instanceof String text) {
                builder.withContextAttribute(name, text);
            } else if (value instanceof Boolean flag) {
                builder.withContextAttribute(name, flag);
            } else if (value instanceof Integer number) {
                builder.withContextAttribute(name, number);
            } else if (value instanceof byte[] bytes) {
                builder.withContextAttribute(name, bytes);
            } else if (value instanceof URI uri) {
                builder.withContextAttribute(name, uri);
            } else if (value instanceof OffsetDateTime time) {
                builder.withContextAttribute(name, time);
            }
            // null: no value set, the attribute is omitted
        }
    }
}
