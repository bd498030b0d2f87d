package dev.switchboard.server.config;

import dev.switchboard.source.ping.PingSchedule;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads the source kinds' specs and their {@code sink}. */
final class SourceParser {
    private SourceParser() {}

    /** {@code spec.sink}: a {@code ref} to a Broker of this server, or a destination URL. */
    static Optional<SourceSink> sink(Fields spec, AddressBook book, String namespace) {
        Optional<Fields> sink = spec.mapping("sink");
        if (sink.isEmpty()) {
            spec.error("sink", "is required");
            return Optional.empty();
        }
        Optional<Fields> ref = sink.get().mapping("ref");
        if (ref.isPresent() && ref.get().string("kind").orElse("").equals("Broker")) {
            Fields r = ref.get();
            r.rejectUnknown(Set.of("apiVersion", "kind", "name", "namespace"));
            return r.requiredString("name")
                    .map(name -> new SourceSink.ToBroker(r.string("namespace").orElse(namespace) + "/" + name));
        }
        return book.destination(sink.get(), namespace).map(SourceSink.ToUri::new);
    }

    static Optional<PingSourceResource> ping(String namespace, String name, Fields spec, AddressBook book) {
        spec.rejectUnknown(Set.of("schedule", "timezone", "contentType", "data", "dataBase64", "sink", "ceOverrides"));
        Optional<String> schedule = spec.requiredString("schedule");
        schedule.ifPresent(text -> {
            try {
                PingSchedule.parse(text);
            } catch (IllegalArgumentException e) {
                spec.error("schedule", e.getMessage());
            }
        });
        String timezone = spec.string("timezone").orElse("UTC");
        try {
            ZoneId.of(timezone);
        } catch (DateTimeException e) {
            spec.error("timezone", "unknown time zone \"" + timezone + "\"");
        }
        Optional<String> data = spec.string("data");
        Optional<String> dataBase64 = spec.string("dataBase64");
        if (data.isPresent() && dataBase64.isPresent()) {
            spec.error("dataBase64", "give data or dataBase64, not both");
        }
        dataBase64.ifPresent(b -> {
            try {
                Base64.getDecoder().decode(b);
            } catch (IllegalArgumentException e) {
                spec.error("dataBase64", "is not Base64: " + e.getMessage());
            }
        });
        Map<String, String> extensions = Map.of();
        Optional<Fields> overrides = spec.mapping("ceOverrides");
        if (overrides.isPresent()) {
            overrides.get().rejectUnknown(Set.of("extensions"));
            extensions = overrides.get().stringMap("extensions");
            overrides.get().mapping("extensions").ifPresent(ext -> ext.keys().stream()
                    .filter(k -> !k.matches("[a-z0-9]{1,20}"))
                    .forEach(k -> ext.error(k, "an extension name is 1-20 lower-case letters or digits")));
        }
        Optional<SourceSink> sink = sink(spec, book, namespace);
        if (schedule.isEmpty() || sink.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new PingSourceResource(
                namespace,
                name,
                schedule.get(),
                timezone,
                spec.string("contentType"),
                data,
                dataBase64,
                extensions,
                sink.get()));
    }
}
