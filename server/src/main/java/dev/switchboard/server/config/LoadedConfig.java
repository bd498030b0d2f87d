package dev.switchboard.server.config;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * Everything a configuration directory asks for, validated.
 *
 * @param brokers the brokers
 * @param triggers the triggers, each naming an existing broker
 * @param pingSources the PingSources
 * @param gitHubSources the GitHubSources
 * @param mnsSources the MNSSources
 * @param addresses the address table for {@code ref}s ({@code namespace/name} → URL)
 * @param maxBodyBytes the ingress body limit
 * @param warnings fields accepted but ignored (Kubernetes-only), with file and line
 */
public record LoadedConfig(
        List<BrokerResource> brokers,
        List<TriggerResource> triggers,
        List<PingSourceResource> pingSources,
        List<GitHubSourceResource> gitHubSources,
        List<MnsSourceResource> mnsSources,
        Map<String, URI> addresses,
        long maxBodyBytes,
        List<ConfigProblem> warnings) {
    public static final long DEFAULT_MAX_BODY_BYTES = 4L * 1024 * 1024;

    public LoadedConfig {
        brokers = List.copyOf(brokers);
        triggers = List.copyOf(triggers);
        pingSources = List.copyOf(pingSources);
        gitHubSources = List.copyOf(gitHubSources);
        mnsSources = List.copyOf(mnsSources);
        addresses = Map.copyOf(addresses);
        warnings = List.copyOf(warnings);
    }
}
