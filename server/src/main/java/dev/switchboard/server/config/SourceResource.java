package dev.switchboard.server.config;

/** What every source kind's resource has: its kind, its {@code namespace/name} and where it sends. */
public interface SourceResource {
    /** The YAML kind ({@code PingSource}, {@code GitHubSource}, ...). */
    String kind();

    /** {@code namespace/name}. */
    String key();

    SourceSink sink();
}
