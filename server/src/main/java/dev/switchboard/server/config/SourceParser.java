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

    static Optional<GitHubSourceResource> github(
            String namespace, String name, Fields spec, AddressBook book, SecretResolver secrets) {
        spec.rejectUnknown(Set.of(
                "ownerAndRepository",
                "eventTypes",
                "accessToken",
                "secretToken",
                "sink",
                "serviceAccountName",
                "githubAPIURL"));
        spec.ignore("serviceAccountName", "a Kubernetes-only field");
        spec.ignore("githubAPIURL", "the webhook is created on GitHub by you; Switchboard only receives it");
        spec.ignore("accessToken", "the webhook is created on GitHub by you; Switchboard only receives it");
        Optional<String> repository = spec.requiredString("ownerAndRepository");
        repository.ifPresent(r -> {
            if (!r.matches("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")) {
                spec.error("ownerAndRepository", "must be owner/repository, found \"" + r + "\"");
            }
        });
        java.util.List<String> eventTypes = spec.strings("eventTypes");
        eventTypes.stream()
                .filter(t -> !t.matches("[a-z_]+"))
                .forEach(t -> spec.error("eventTypes", "\"" + t + "\" is not a GitHub event name"));
        // Without a secret token, GitHub deliveries are not signed and not checked.
        Optional<String> secret = spec.has("secretToken") ? secret(spec, "secretToken", secrets) : Optional.empty();
        Optional<SourceSink> sink = sink(spec, book, namespace);
        if (repository.isEmpty() || sink.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new GitHubSourceResource(
                namespace, name, repository.get(), java.util.Set.copyOf(eventTypes), secret, sink.get()));
    }

    static Optional<MnsSourceResource> mns(
            String namespace, String name, Fields spec, AddressBook book, SecretResolver secrets) {
        spec.rejectUnknown(Set.of(
                "endpoint",
                "queueName",
                "accessKeyId",
                "accessKeySecret",
                "batchSize",
                "waitSeconds",
                "base64Decode",
                "sink",
                "serviceAccountName"));
        spec.ignore("serviceAccountName", "a Kubernetes-only field");
        Optional<java.net.URI> endpoint = spec.requiredString("endpoint").flatMap(text -> {
            try {
                java.net.URI uri = new java.net.URI(text);
                if (uri.getHost() == null || !(("http".equals(uri.getScheme())) || "https".equals(uri.getScheme()))) {
                    throw new java.net.URISyntaxException(text, "not an http(s) URL");
                }
                return Optional.of(uri);
            } catch (java.net.URISyntaxException e) {
                spec.error(
                        "endpoint", "must be the queue endpoint URL, e.g. https://<account>.mns.<region>.aliyuncs.com");
                return Optional.empty();
            }
        });
        Optional<String> queue = spec.requiredString("queueName");
        Optional<String> keyId = secret(spec, "accessKeyId", secrets);
        Optional<String> keySecret = secret(spec, "accessKeySecret", secrets);
        int batchSize = spec.integer("batchSize").orElse(16);
        if (batchSize < 1 || batchSize > 16) {
            spec.error("batchSize", "must be 1-16, found " + batchSize);
        }
        int waitSeconds = spec.integer("waitSeconds").orElse(30);
        if (waitSeconds < 0 || waitSeconds > 30) {
            spec.error("waitSeconds", "must be 0-30, found " + waitSeconds);
        }
        boolean base64 = spec.string("base64Decode")
                .map(v -> !v.equalsIgnoreCase("false"))
                .orElse(true);
        Optional<SourceSink> sink = sink(spec, book, namespace);
        if (endpoint.isEmpty()
                || queue.isEmpty()
                || keyId.isEmpty()
                || keySecret.isEmpty()
                || sink.isEmpty()
                || batchSize < 1
                || batchSize > 16
                || waitSeconds < 0
                || waitSeconds > 30) {
            return Optional.empty();
        }
        return Optional.of(new MnsSourceResource(
                namespace,
                name,
                endpoint.get(),
                queue.get(),
                keyId.get(),
                keySecret.get(),
                batchSize,
                waitSeconds,
                base64,
                sink.get()));
    }

    /** A field holding {@code secretKeyRef: {name, key}}, resolved. */
    static Optional<String> secret(Fields spec, String field, SecretResolver secrets) {
        Optional<Fields> holder = spec.mapping(field);
        if (holder.isEmpty()) {
            spec.error(field, "is required (a secretKeyRef)");
            return Optional.empty();
        }
        holder.get().rejectUnknown(Set.of("secretKeyRef"));
        Optional<Fields> ref = holder.get().mapping("secretKeyRef");
        if (ref.isEmpty()) {
            holder.get().error("secretKeyRef", "is required");
            return Optional.empty();
        }
        ref.get().rejectUnknown(Set.of("name", "key", "optional"));
        Optional<String> name = ref.get().requiredString("name");
        Optional<String> key = ref.get().requiredString("key");
        if (name.isEmpty() || key.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> value = secrets.resolve(name.get(), key.get());
        if (value.isEmpty()) {
            ref.get()
                    .error(
                            "name",
                            "secret " + name.get() + "/" + key.get() + " not found: set "
                                    + secrets.describe(name.get(), key.get()));
        }
        return value;
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
