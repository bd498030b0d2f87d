package dev.switchboard.server.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Resolves a Kubernetes {@code secretKeyRef} ({@code name}, {@code key}) without a cluster: from the
 * environment variable {@code SWITCHBOARD_SECRET_<NAME>_<KEY>} (upper-cased, other characters as
 * {@code _}), else from the file {@code <secrets dir>/<name>/<key>}, the layout Kubernetes uses when it
 * mounts a secret. Secret values never appear in the YAML itself.
 */
public final class SecretResolver {
    private final Function<String, String> environment;
    private final Optional<Path> directory;

    /**
     * @param environment how to read an environment variable ({@code System::getenv}; tests pass a map)
     * @param directory where mounted secrets live, if anywhere
     */
    public SecretResolver(Function<String, String> environment, Optional<Path> directory) {
        this.environment = Objects.requireNonNull(environment, "environment");
        this.directory = Objects.requireNonNull(directory, "directory");
    }

    /** The name of the environment variable that holds a secret key. */
    public static String variable(String name, String key) {
        return ("SWITCHBOARD_SECRET_" + name + "_" + key)
                .toUpperCase(Locale.ROOT)
                .replaceAll("[^A-Z0-9]", "_");
    }

    /** The secret's value, or empty when neither the variable nor the file exists. */
    public Optional<String> resolve(String name, String key) {
        String value = environment.apply(variable(name, key));
        if (value != null) {
            return Optional.of(value);
        }
        if (directory.isEmpty()
                || name.contains("/")
                || name.contains("..")
                || key.contains("/")
                || key.contains("..")) {
            return Optional.empty();
        }
        Path file = directory.get().resolve(name).resolve(key);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read secret file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Where to look, for messages: {@code SWITCHBOARD_SECRET_GITHUB_TOKEN or /etc/secrets/github/token}. */
    public String describe(String name, String key) {
        return variable(name, key)
                + directory.map(d -> " or " + d.resolve(name).resolve(key)).orElse("");
    }
}
