package dev.switchboard.server.config;

import dev.switchboard.source.ping.PingSchedule;
import dev.switchboard.source.ping.PingSpec;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A Knative {@code PingSource}, validated, with its fields as written (so that two configurations can
 * be compared).
 */
public record PingSourceResource(
        String namespace,
        String name,
        String schedule,
        String timezone,
        Optional<String> contentType,
        Optional<String> data,
        Optional<String> dataBase64,
        Map<String, String> extensions,
        SourceSink sink)
        implements SourceResource {
    public PingSourceResource {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(timezone, "timezone");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(dataBase64, "dataBase64");
        extensions = Map.copyOf(extensions);
        Objects.requireNonNull(sink, "sink");
    }

    @Override
    public String kind() {
        return "PingSource";
    }

    @Override
    public String key() {
        return namespace + "/" + name;
    }

    /** The spec the ping source module runs. */
    public PingSpec toSpec() {
        Optional<byte[]> payload = data.map(d -> d.getBytes(StandardCharsets.UTF_8))
                .or(() -> dataBase64.map(b -> Base64.getDecoder().decode(b)));
        return new PingSpec(
                namespace, name, PingSchedule.parse(schedule), ZoneId.of(timezone), contentType, payload, extensions);
    }
}
