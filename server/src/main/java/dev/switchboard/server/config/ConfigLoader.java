package dev.switchboard.server.config;

import dev.switchboard.core.BrokerConfig;
import dev.switchboard.core.Durability;
import dev.switchboard.core.Ordering;
import dev.switchboard.core.Retention;
import dev.switchboard.delivery.DeliverySpec;
import dev.switchboard.delivery.http.HttpSinkOptions;
import dev.switchboard.trigger.CompiledFilter;
import dev.switchboard.trigger.FilterCompiler;
import dev.switchboard.trigger.FilterProblem;
import dev.switchboard.trigger.FilterSpec;
import dev.switchboard.trigger.InvalidFilterException;
import dev.switchboard.trigger.TriggerFilterSpec;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Loads Knative resources (and the server's own {@code switchboard.yaml}) from a file or a directory of
 * YAML files, so that a Knative user's files run unchanged: Kubernetes-only fields are accepted with a
 * warning; unknown fields, wrong types, bad durations, dangling broker names and unresolvable refs are
 * errors with file, line and field path. Every problem is reported, not just the first.
 */
public final class ConfigLoader {
    /** The server's own settings file inside a configuration directory. */
    public static final String SETTINGS_FILE = "switchboard.yaml";

    static final String EVENTING = "eventing.knative.dev/v1";
    static final Set<String> PING_VERSIONS = Set.of("sources.knative.dev/v1", "sources.knative.dev/v1beta2");
    static final String DELIVERY_ORDER = "kafka.eventing.knative.dev/delivery.order";
    static final String DURABILITY = "switchboard.dev/durability";
    static final String BUFFER_LIMIT = "switchboard.dev/buffer-limit-bytes";
    static final String RETENTION_AGE = "switchboard.dev/retention-max-age";
    static final String RETENTION_BYTES = "switchboard.dev/retention-max-bytes";

    private static final Set<String> TOP = Set.of("apiVersion", "kind", "metadata", "spec", "status");
    private static final Set<String> METADATA = Set.of(
            "name",
            "namespace",
            "annotations",
            "labels",
            "uid",
            "resourceVersion",
            "generation",
            "creationTimestamp",
            "managedFields",
            "finalizers",
            "ownerReferences",
            "selfLink",
            "deletionTimestamp",
            "deletionGracePeriodSeconds");
    private static final Set<String> KUBERNETES_ONLY_METADATA = Set.of(
            "labels",
            "uid",
            "resourceVersion",
            "generation",
            "creationTimestamp",
            "managedFields",
            "finalizers",
            "ownerReferences",
            "selfLink",
            "deletionTimestamp",
            "deletionGracePeriodSeconds");
    private static final Set<String> HONOURED_ANNOTATIONS = Set.of(
            DELIVERY_ORDER,
            DeliveryParser.RETRY_COUNT,
            DeliveryParser.RETRY_INTERVAL,
            DeliveryParser.REQUEST_TIMEOUT,
            DURABILITY,
            BUFFER_LIMIT,
            RETENTION_AGE,
            RETENTION_BYTES);
    /** Kinds that belong to other parts of a Knative installation: accepted, not run. */
    private static final Set<String> FOREIGN_KINDS = Set.of(
            "Service", "ConfigMap", "Secret", "Namespace", "Deployment", "ServiceAccount", "Role", "RoleBinding");

    private final Problems problems = new Problems();
    /** One instance per subscriber URL: 10,000 triggers often share a few, and a URI is six strings. */
    private final Map<URI, URI> uris = new java.util.HashMap<>();

    private final java.util.function.Function<String, String> environment;
    private Optional<Path> secretsDirectory = Optional.empty();

    private ConfigLoader(java.util.function.Function<String, String> environment) {
        this.environment = environment;
    }

    /**
     * Loads and validates.
     *
     * @param path a YAML file, or a directory of {@code .yaml}/{@code .yml} files
     * @throws InvalidConfigException listing every problem
     */
    public static LoadedConfig load(Path path) {
        return load(path, System::getenv);
    }

    /** Loads and validates, reading secrets' environment variables through {@code environment}. */
    public static LoadedConfig load(Path path, java.util.function.Function<String, String> environment) {
        return new ConfigLoader(environment).run(path);
    }

    private LoadedConfig run(Path path) {
        List<Path> files = files(path);
        Map<String, URI> addresses = new LinkedHashMap<>();
        long maxBody = LoadedConfig.DEFAULT_MAX_BODY_BYTES;
        List<Document> documents = new ArrayList<>();
        for (Path file : files) {
            List<YamlNode> nodes;
            try {
                nodes = YamlReader.documents(file);
            } catch (IOException e) {
                problems.error(
                        file,
                        lineOf(e),
                        "",
                        "cannot read YAML: "
                                + e.getMessage().lines().findFirst().orElse(""));
                continue;
            }
            for (YamlNode node : nodes) {
                if (!(node instanceof YamlNode.Mapping mapping)) {
                    problems.error(file, node.line(), "", "a document must be a mapping, found " + node.describe());
                    continue;
                }
                Fields fields = new Fields(file, "", mapping, problems);
                if (file.getFileName().toString().equals(SETTINGS_FILE)) {
                    maxBody = settings(fields, addresses);
                } else {
                    documents.add(new Document(fields));
                }
            }
        }
        AddressBook book = new AddressBook(addresses);
        Map<String, BrokerResource> brokers = new LinkedHashMap<>();
        List<PendingTrigger> triggers = new ArrayList<>();
        List<PendingSource> sources = new ArrayList<>();
        SecretResolver secrets = new SecretResolver(environment, secretsDirectory);
        for (Document document : documents) {
            resource(document.fields, book, secrets, brokers, triggers, sources);
        }
        List<SourceResource> resolvedSources = resolveSources(sources, brokers);
        List<TriggerResource> resolved = new ArrayList<>();
        Set<String> triggerKeys = new java.util.HashSet<>();
        for (PendingTrigger trigger : triggers) {
            if (!brokers.containsKey(trigger.brokerKey)) {
                trigger.spec.error("broker", "names broker " + trigger.brokerKey + ", which is not defined");
                continue;
            }
            if (!triggerKeys.add(trigger.resource.key())) {
                trigger.metadata.error("name", "Trigger " + trigger.resource.key() + " is defined twice");
                continue;
            }
            resolved.add(trigger.resource);
        }
        if (!problems.errors.isEmpty()) {
            throw new InvalidConfigException(problems.errors);
        }
        return new LoadedConfig(
                List.copyOf(brokers.values()), resolved, resolvedSources, addresses, maxBody, problems.warnings);
    }

    private List<Path> files(Path path) {
        if (Files.isRegularFile(path)) {
            return List.of(path);
        }
        if (!Files.isDirectory(path)) {
            throw new InvalidConfigException(List.of(new ConfigProblem(path, 0, "", "no such file or directory")));
        }
        try (Stream<Path> entries = Files.list(path)) {
            return entries.filter(
                            f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new InvalidConfigException(List.of(new ConfigProblem(path, 0, "", "cannot list: " + e.getMessage())));
        }
    }

    private static int lineOf(IOException e) {
        if (e instanceof com.fasterxml.jackson.core.JsonProcessingException json && json.getLocation() != null) {
            return json.getLocation().getLineNr();
        }
        return 0;
    }

    private long settings(Fields settings, Map<String, URI> addresses) {
        settings.rejectUnknown(Set.of("addresses", "ingress", "secrets"));
        settings.mapping("secrets").ifPresent(secrets -> {
            secrets.rejectUnknown(Set.of("directory"));
            secretsDirectory =
                    secrets.string("directory").map(d -> settings.file().resolveSibling(d));
        });
        Map<String, String> table = settings.stringMap("addresses");
        settings.mapping("addresses")
                .ifPresent(a -> table.forEach((key, url) -> {
                    if (!key.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?/[a-z0-9]([-a-z0-9.]*[a-z0-9])?")) {
                        a.error(key, "must be namespace/name");
                        return;
                    }
                    try {
                        URI uri = new URI(url);
                        if (uri.getScheme() == null || uri.getHost() == null) {
                            throw new URISyntaxException(url, "not an absolute URL");
                        }
                        addresses.put(key, uri);
                    } catch (URISyntaxException e) {
                        a.error(key, "must be an absolute URL, found \"" + url + "\"");
                    }
                }));
        long maxBody = LoadedConfig.DEFAULT_MAX_BODY_BYTES;
        Optional<Fields> ingress = settings.mapping("ingress");
        if (ingress.isPresent()) {
            ingress.get().rejectUnknown(Set.of("maxBodyBytes"));
            Optional<Integer> limit = ingress.get().integer("maxBodyBytes");
            if (limit.isPresent() && limit.get() <= 0) {
                ingress.get().error("maxBodyBytes", "must be positive");
            } else if (limit.isPresent()) {
                maxBody = limit.get();
            }
        }
        return maxBody;
    }

    private void resource(
            Fields doc,
            AddressBook book,
            SecretResolver secrets,
            Map<String, BrokerResource> brokers,
            List<PendingTrigger> triggers,
            List<PendingSource> sources) {
        doc.rejectUnknown(TOP);
        doc.ignore("status", "status is written by Kubernetes controllers");
        String kind = doc.requiredString("kind").orElse("");
        String apiVersion = doc.requiredString("apiVersion").orElse("");
        if (FOREIGN_KINDS.contains(kind)) {
            doc.warn("kind", kind + " is not run by Switchboard; refer to it through the addresses table");
            return;
        }
        Optional<Fields> metadata = doc.mapping("metadata");
        if (metadata.isEmpty()) {
            doc.error("metadata", "is required");
            return;
        }
        Fields meta = metadata.get();
        meta.rejectUnknown(METADATA);
        KUBERNETES_ONLY_METADATA.forEach(k -> meta.ignore(k, "a Kubernetes-only field"));
        Optional<String> name = meta.requiredString("name");
        String namespace = meta.string("namespace").orElse("default");
        Map<String, String> annotations = meta.stringMap("annotations");
        meta.mapping("annotations").ifPresent(a -> a.keys().stream()
                .filter(k -> !HONOURED_ANNOTATIONS.contains(k))
                .forEach(k -> a.warn(k, "ignored: not an annotation Switchboard acts on")));
        Fields spec = doc.mapping("spec").orElse(null);
        if (name.isEmpty()) {
            return;
        }
        switch (kind) {
            case "Broker" -> {
                requireApiVersion(doc, apiVersion, EVENTING);
                BrokerResource broker = broker(namespace, name.get(), spec, meta, annotations, book);
                if (brokers.putIfAbsent(broker.key(), broker) != null) {
                    meta.error("name", "Broker " + broker.key() + " is defined twice");
                }
            }
            case "Trigger" -> {
                requireApiVersion(doc, apiVersion, EVENTING);
                if (spec == null) {
                    doc.error("spec", "is required");
                    return;
                }
                trigger(namespace, name.get(), spec, meta, annotations, book).ifPresent(triggers::add);
            }
            case "PingSource" ->
                addSource(
                        doc,
                        apiVersion,
                        PING_VERSIONS,
                        spec,
                        meta,
                        sources,
                        s -> SourceParser.ping(namespace, name.get(), s, book));
            case "GitHubSource" ->
                addSource(
                        doc,
                        apiVersion,
                        Set.of("sources.knative.dev/v1alpha1"),
                        spec,
                        meta,
                        sources,
                        s -> SourceParser.github(namespace, name.get(), s, book, secrets));
            case "MNSSource" ->
                addSource(
                        doc,
                        apiVersion,
                        Set.of(),
                        spec,
                        meta,
                        sources,
                        s -> SourceParser.mns(namespace, name.get(), s, book, secrets));
            case "KafkaSource" ->
                addSource(
                        doc,
                        apiVersion,
                        KafkaSourceParser.VERSIONS,
                        spec,
                        meta,
                        sources,
                        s -> KafkaSourceParser.parse(namespace, name.get(), s, meta, annotations, book, secrets));
            case "RocketMQSource" ->
                addSource(
                        doc,
                        apiVersion,
                        Set.of(),
                        spec,
                        meta,
                        sources,
                        s -> RocketMqSourceParser.parse(namespace, name.get(), s, meta, annotations, book, secrets));
            case "" -> {}
            default ->
                doc.error(
                        "kind",
                        "unsupported kind " + kind
                                + " (supported: Broker, Trigger, PingSource, GitHubSource, MNSSource, KafkaSource, RocketMQSource)");
        }
    }

    private static void requireApiVersion(Fields doc, String apiVersion, String expected) {
        if (!apiVersion.isEmpty() && !apiVersion.equals(expected)) {
            doc.error("apiVersion", "must be " + expected + ", found \"" + apiVersion + "\"");
        }
    }

    private BrokerResource broker(
            String namespace,
            String name,
            Fields spec,
            Fields meta,
            Map<String, String> annotations,
            AddressBook book) {
        Optional<DeliverySpec> delivery = Optional.empty();
        if (spec != null) {
            spec.rejectUnknown(Set.of("config", "delivery"));
            spec.ignore(
                    "config",
                    "broker ConfigMaps are Kubernetes objects; storage is set by switchboard.dev/* annotations");
            delivery = DeliveryParser.parse(spec, meta, Map.of(), book, namespace);
        }
        return new BrokerResource(namespace, name, storage(annotations, meta), delivery);
    }

    private static BrokerConfig storage(Map<String, String> annotations, Fields meta) {
        BrokerConfig config = BrokerConfig.defaults();
        Optional<Fields> a = meta.mapping("annotations");
        String durability = annotations.get(DURABILITY);
        if (durability != null) {
            switch (durability) {
                case "wal" -> config = config.withDurability(Durability.WAL);
                case "fsync" -> config = config.withDurability(Durability.FSYNC);
                default -> a.ifPresent(f -> f.error(DURABILITY, "must be wal or fsync, found \"" + durability + "\""));
            }
        }
        Optional<Long> buffer = positiveLong(annotations, BUFFER_LIMIT, a);
        if (buffer.isPresent()) {
            config = config.withBufferLimitBytes(buffer.get());
        }
        Duration age = Retention.UNLIMITED_AGE;
        String ageText = annotations.get(RETENTION_AGE);
        if (ageText != null) {
            try {
                age = Duration.parse(ageText);
                if (age.isNegative() || age.isZero()) {
                    throw new java.time.format.DateTimeParseException("not positive", ageText, 0);
                }
            } catch (java.time.format.DateTimeParseException e) {
                a.ifPresent(
                        f -> f.error(RETENTION_AGE, "must be a positive ISO-8601 duration, found \"" + ageText + "\""));
                age = Retention.UNLIMITED_AGE;
            }
        }
        long bytes = positiveLong(annotations, RETENTION_BYTES, a).orElse(Long.MAX_VALUE);
        return config.withRetention(new Retention(age, bytes));
    }

    private static Optional<Long> positiveLong(Map<String, String> annotations, String key, Optional<Fields> a) {
        String text = annotations.get(key);
        if (text == null) {
            return Optional.empty();
        }
        try {
            long value = Long.parseLong(text.trim());
            if (value > 0) {
                return Optional.of(value);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        a.ifPresent(f -> f.error(key, "must be a positive integer, found \"" + text + "\""));
        return Optional.empty();
    }

    private Optional<PendingTrigger> trigger(
            String namespace,
            String name,
            Fields spec,
            Fields meta,
            Map<String, String> annotations,
            AddressBook book) {
        spec.rejectUnknown(Set.of("broker", "filter", "filters", "subscriber", "delivery", "brokerRef"));
        spec.ignore("brokerRef", "use spec.broker");
        Optional<String> broker = spec.requiredString("broker");
        FilterParser filterParser = new FilterParser();
        Map<String, String> attributes = Map.of();
        Optional<Fields> filter = spec.mapping("filter");
        if (filter.isPresent()) {
            filter.get().rejectUnknown(Set.of("attributes"));
            attributes = filterParser.attributes(filter.get());
        }
        List<FilterSpec> filters = filterParser.filters(spec);
        CompiledFilter compiled = null;
        TriggerFilterSpec filterSpec = new TriggerFilterSpec(Names.qualified(namespace, name), attributes, filters);
        try {
            compiled = FilterCompiler.compile(filterSpec);
        } catch (InvalidFilterException e) {
            for (FilterProblem problem : e.problems()) {
                problems.error(
                        spec.file(),
                        filterParser.lineOf(problem.path(), spec.line()),
                        problem.path(),
                        problem.message());
            }
        }
        Optional<URI> subscriber = Optional.empty();
        Optional<Fields> subscriberFields = spec.mapping("subscriber");
        if (subscriberFields.isEmpty()) {
            spec.error("subscriber", "is required");
        } else {
            subscriber = book.destination(subscriberFields.get(), namespace);
        }
        Optional<DeliverySpec> delivery = DeliveryParser.parse(spec, meta, annotations, book, namespace);
        Ordering ordering = Ordering.UNORDERED;
        String order = annotations.get(DELIVERY_ORDER);
        if (order != null) {
            switch (order) {
                case "ordered" -> ordering = Ordering.ORDERED;
                case "unordered" -> ordering = Ordering.UNORDERED;
                default ->
                    meta.mapping("annotations")
                            .ifPresent(a ->
                                    a.error(DELIVERY_ORDER, "must be ordered or unordered, found \"" + order + "\""));
            }
        }
        if (broker.isEmpty() || compiled == null || subscriber.isEmpty()) {
            return Optional.empty();
        }
        HttpSinkOptions options =
                DeliveryParser.structured(spec) ? HttpSinkOptions.structuredJson() : HttpSinkOptions.binary();
        TriggerResource resource = new TriggerResource(
                namespace,
                name,
                Names.qualified(namespace, broker.get()),
                filterSpec,
                compiled,
                uris.computeIfAbsent(subscriber.get(), uri -> uri),
                delivery,
                ordering,
                options);
        return Optional.of(new PendingTrigger(resource, resource.broker(), spec, meta));
    }

    private record Document(Fields fields) {}

    /** A parsed source waiting for the check that its sink's broker exists and its name is unique. */
    private record PendingSource(SourceResource resource, Fields sinkField, Fields metadata) {}

    /**
     * Checks a source document's apiVersion (any, when {@code versions} is empty) and spec, parses it
     * and queues it for {@link #resolveSources}.
     */
    private static void addSource(
            Fields doc,
            String apiVersion,
            Set<String> versions,
            Fields spec,
            Fields meta,
            List<PendingSource> into,
            java.util.function.Function<Fields, Optional<? extends SourceResource>> parse) {
        if (!apiVersion.isEmpty() && !versions.isEmpty() && !versions.contains(apiVersion)) {
            doc.error(
                    "apiVersion",
                    "must be " + String.join(" or ", versions.stream().sorted().toList()) + ", found \"" + apiVersion
                            + "\"");
        }
        if (spec == null) {
            doc.error("spec", "is required");
            return;
        }
        parse.apply(spec)
                .ifPresent(
                        r -> into.add(new PendingSource(r, spec.mapping("sink").orElse(spec), meta)));
    }

    private static List<SourceResource> resolveSources(
            List<PendingSource> pending, Map<String, BrokerResource> brokers) {
        List<SourceResource> resolved = new ArrayList<>();
        Set<String> keys = new java.util.HashSet<>();
        for (PendingSource pendingSource : pending) {
            SourceResource source = pendingSource.resource();
            if (source.sink() instanceof SourceSink.ToBroker toBroker && !brokers.containsKey(toBroker.broker())) {
                pendingSource.sinkField().error("ref", "names broker " + toBroker.broker() + ", which is not defined");
            } else if (!keys.add(source.kind() + " " + source.key())) {
                pendingSource.metadata().error("name", source.kind() + " " + source.key() + " is defined twice");
            } else {
                resolved.add(source);
            }
        }
        return resolved;
    }

    private record PendingTrigger(TriggerResource resource, String brokerKey, Fields spec, Fields metadata) {}
}
