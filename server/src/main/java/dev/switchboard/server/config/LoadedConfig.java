package dev.switchboard.server.config;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * Everything a configuration directory asks for, validated.
 *
 * @param brokers the brokers
 * @param triggers the triggers, each naming an existing broker
 * @param sources every source, of every kind, each sending to an existing broker or a URL
 * @param addresses the address table for {@code ref}s ({@code namespace/name} → URL)
 * @param maxBodyBytes the ingress body limit
 * @param warnings fields accepted but ignored (Kubernetes-only), with file and line
 */
public record LoadedConfig(
        List<BrokerResource> brokers,
        List<TriggerResource> triggers,
        List<SourceResource> sources,
        Map<String, URI> addresses,
        long maxBodyBytes,
        List<ConfigProblem> warnings) {
    public static final long DEFAULT_MAX_BODY_BYTES = 4L * 1024 * 1024;

    public LoadedConfig {
        brokers = List.copyOf(brokers);
        triggers = List.copyOf(triggers);
        sources = List.copyOf(sources);
        addresses = Map.copyOf(addresses);
        warnings = List.copyOf(warnings);
    }

    /** The sources of one kind. */
    public <R extends SourceResource> List<R> sources(Class<R> kind) {
        return sources.stream().filter(kind::isInstance).map(kind::cast).toList();
    }
}
