package dev.switchboard.source.github;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A {@code GitHubSource}'s spec, with its secret already resolved.
 *
 * @param namespace {@code metadata.namespace}
 * @param name {@code metadata.name}
 * @param ownerAndRepository {@code spec.ownerAndRepository} ({@code owner/repo})
 * @param eventTypes {@code spec.eventTypes}; events of other types are answered 202 and not published
 * @param secretToken the webhook secret from {@code spec.secretToken}; without one, signatures are not
 *     checked
 */
public record GitHubSpec(
        String namespace,
        String name,
        String ownerAndRepository,
        Set<String> eventTypes,
        Optional<String> secretToken) {
    public GitHubSpec {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(ownerAndRepository, "ownerAndRepository");
        eventTypes = Set.copyOf(eventTypes);
        Objects.requireNonNull(secretToken, "secretToken");
    }
}
