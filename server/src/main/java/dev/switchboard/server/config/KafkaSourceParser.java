package dev.switchboard.server.config;

import dev.switchboard.delivery.DeliverySpec;
import dev.switchboard.source.kafka.KafkaSourceSpec;
import dev.switchboard.source.kafka.KeyType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a Knative {@code KafkaSource}: {@code sources.knative.dev/v1beta1}, and the older {@code
 * v1alpha1} in which {@code bootstrapServers} and {@code topics} are comma-separated strings (either
 * form is taken in both). {@code net.sasl} and {@code net.tls} secrets become Kafka client
 * properties.
 */
final class KafkaSourceParser {
    static final Set<String> VERSIONS = Set.of("sources.knative.dev/v1beta1", "sources.knative.dev/v1alpha1");
    private static final Set<String> FIELDS = Set.of(
            "bootstrapServers",
            "topics",
            "consumerGroup",
            "initialOffset",
            "consumers",
            "ordering",
            "net",
            "ceOverrides",
            "sink",
            "delivery",
            "serviceAccountName",
            "resources");
    private static final Set<String> SASL_TYPES = Set.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");

    private KafkaSourceParser() {}

    static Optional<KafkaSourceResource> parse(
            String namespace,
            String name,
            Fields spec,
            Fields metadata,
            Map<String, String> annotations,
            AddressBook book,
            SecretResolver secrets) {
        spec.rejectUnknown(FIELDS);
        spec.ignore("serviceAccountName", "a Kubernetes-only field");
        spec.ignore("resources", "a Kubernetes-only field (the consumer's pod resources)");
        List<String> servers = spec.stringsOrCommaSeparated("bootstrapServers");
        if (servers.isEmpty()) {
            spec.error("bootstrapServers", "is required: one or more host:port");
        }
        servers.stream()
                .filter(s -> !s.matches("[^\\s:/]+:\\d{1,5}"))
                .forEach(s -> spec.error("bootstrapServers", "\"" + s + "\" is not host:port"));
        List<String> topics = spec.stringsOrCommaSeparated("topics");
        if (topics.isEmpty()) {
            spec.error("topics", "is required: one or more topic names");
        }
        topics.stream()
                .filter(t -> !t.matches("[a-zA-Z0-9._-]{1,249}"))
                .forEach(t -> spec.error("topics", "\"" + t + "\" is not a valid Kafka topic name"));
        String group = spec.string("consumerGroup").orElse("knative-kafka-source-" + namespace + "-" + name);
        KafkaSourceSpec.InitialOffset initialOffset =
                spec.choice("initialOffset", KafkaSourceSpec.InitialOffset.class, KafkaSourceSpec.InitialOffset.LATEST);
        KafkaSourceSpec.Ordering ordering =
                spec.choice("ordering", KafkaSourceSpec.Ordering.class, KafkaSourceSpec.Ordering.ORDERED);
        int consumers = spec.integer("consumers").orElse(1);
        if (consumers < 1 || consumers > 64) {
            spec.error("consumers", "must be 1-64, found " + consumers);
        }
        KeyType keyType = keyType(metadata);
        Map<String, String> extensions = extensions(spec);
        Map<String, String> client =
                spec.mapping("net").map(net -> security(net, secrets)).orElse(Map.of());
        Optional<DeliverySpec> delivery = DeliveryParser.parse(spec, metadata, annotations, book, namespace);
        Optional<SourceSink> sink = SourceParser.sink(spec, book, namespace);
        if (servers.isEmpty() || topics.isEmpty() || sink.isEmpty() || consumers < 1 || consumers > 64) {
            return Optional.empty();
        }
        KafkaSourceSpec kafka = KafkaSourceSpec.of(namespace, name, servers, topics, group)
                .withInitialOffset(initialOffset)
                .withOrdering(ordering)
                .withConsumers(consumers)
                .withKeyType(keyType)
                .withExtensions(extensions)
                .withClientProperties(client);
        return Optional.of(new KafkaSourceResource(kafka, delivery, sink.get()));
    }

    private static KeyType keyType(Fields metadata) {
        Map<String, String> labels = metadata.stringMap("labels");
        String label = labels.get(KeyType.LABEL);
        if (label == null) {
            return KeyType.STRING;
        }
        try {
            return KeyType.fromLabel(label);
        } catch (IllegalArgumentException e) {
            metadata.mapping("labels").ifPresent(l -> l.error(KeyType.LABEL, e.getMessage()));
            return KeyType.STRING;
        }
    }

    private static Map<String, String> extensions(Fields spec) {
        Optional<Fields> overrides = spec.mapping("ceOverrides");
        if (overrides.isEmpty()) {
            return Map.of();
        }
        overrides.get().rejectUnknown(Set.of("extensions"));
        Map<String, String> extensions = overrides.get().stringMap("extensions");
        overrides.get().mapping("extensions").ifPresent(ext -> ext.keys().stream()
                .filter(k -> !k.matches("[a-z0-9]{1,20}"))
                .forEach(k -> ext.error(k, "an extension name is 1-20 lower-case letters or digits")));
        return extensions;
    }

    /**
     * {@code net.sasl} ({@code enable}, {@code user}, {@code password}, {@code type}) and {@code
     * net.tls} ({@code enable}, {@code caCert}, {@code cert}, {@code key}), each value a {@code
     * secretKeyRef}, as Kafka client properties. PEM certificates and keys are given to the client
     * inline, so nothing is written to disk.
     */
    private static Map<String, String> security(Fields net, SecretResolver secrets) {
        net.rejectUnknown(Set.of("sasl", "tls"));
        Map<String, String> properties = new LinkedHashMap<>();
        boolean sasl =
                net.mapping("sasl").map(s -> sasl(s, secrets, properties)).orElse(false);
        boolean tls = net.mapping("tls").map(t -> tls(t, secrets, properties)).orElse(false);
        if (sasl || tls) {
            properties.put("security.protocol", sasl ? (tls ? "SASL_SSL" : "SASL_PLAINTEXT") : "SSL");
        }
        return properties;
    }

    private static boolean sasl(Fields sasl, SecretResolver secrets, Map<String, String> properties) {
        sasl.rejectUnknown(Set.of("enable", "user", "password", "type"));
        if (!enabled(sasl)) {
            return false;
        }
        Optional<String> user = SourceParser.secret(sasl, "user", secrets);
        Optional<String> password = SourceParser.secret(sasl, "password", secrets);
        String type = sasl.has("type")
                ? SourceParser.secret(sasl, "type", secrets).orElse("PLAIN").toUpperCase(Locale.ROOT)
                : "PLAIN";
        if (!SASL_TYPES.contains(type)) {
            sasl.error("type", "must name one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512; found \"" + type + "\"");
        }
        if (user.isEmpty() || password.isEmpty()) {
            return true;
        }
        String module = type.equals("PLAIN")
                ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                : "org.apache.kafka.common.security.scram.ScramLoginModule";
        properties.put("sasl.mechanism", type);
        properties.put(
                "sasl.jaas.config",
                module + " required username=\"" + jaasQuote(user.get()) + "\" password=\"" + jaasQuote(password.get())
                        + "\";");
        return true;
    }

    private static boolean tls(Fields tls, SecretResolver secrets, Map<String, String> properties) {
        tls.rejectUnknown(Set.of("enable", "caCert", "cert", "key"));
        if (!enabled(tls)) {
            return false;
        }
        if (tls.has("caCert")) {
            SourceParser.secret(tls, "caCert", secrets).ifPresent(ca -> {
                properties.put("ssl.truststore.type", "PEM");
                properties.put("ssl.truststore.certificates", ca);
            });
        }
        if (tls.has("cert") != tls.has("key")) {
            tls.error(tls.has("cert") ? "key" : "cert", "cert and key go together (client authentication)");
        } else if (tls.has("cert")) {
            Optional<String> cert = SourceParser.secret(tls, "cert", secrets);
            Optional<String> key = SourceParser.secret(tls, "key", secrets);
            if (cert.isPresent() && key.isPresent()) {
                properties.put("ssl.keystore.type", "PEM");
                properties.put("ssl.keystore.certificate.chain", cert.get());
                properties.put("ssl.keystore.key", key.get());
            }
        }
        return true;
    }

    private static boolean enabled(Fields section) {
        Optional<String> enable = section.string("enable");
        if (enable.isPresent() && !enable.get().equals("true") && !enable.get().equals("false")) {
            section.error("enable", "must be true or false, found \"" + enable.get() + "\"");
        }
        return enable.map("true"::equals).orElse(false);
    }

    private static String jaasQuote(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
