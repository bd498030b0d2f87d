package dev.switchboard.server.config;

import dev.switchboard.source.github.GitHubSpec;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** A Knative {@code GitHubSource}, validated, its secret token resolved. */
public record GitHubSourceResource(
        String namespace,
        String name,
        String ownerAndRepository,
        Set<String> eventTypes,
        Optional<String> secretToken,
        SourceSink sink)
        implements SourceResource {
    public GitHubSourceResource {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(ownerAndRepository, "ownerAndRepository");
        eventTypes = Set.copyOf(eventTypes);
        Objects.requireNonNull(secretToken, "secretToken");
        Objects.requireNonNull(sink, "sink");
    }

    @Override
    public String kind() {
        return "GitHubSource";
    }

    @Override
    public String key() {
        return namespace + "/" + name;
    }

    public GitHubSpec toSpec() {
        return new GitHubSpec(namespace, name, ownerAndRepository, eventTypes, secretToken);
    }

    /** Never prints the secret. */
    @Override
    public String toString() {
        return "GitHubSource " + key() + " (" + ownerAndRepository + ", events " + eventTypes + ", sink " + sink
                + (secretToken.isPresent() ? ", signed" : "") + ")";
    }
}
