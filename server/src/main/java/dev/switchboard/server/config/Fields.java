package dev.switchboard.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Typed reading of one YAML mapping, reporting every wrong type, bad value and unknown field with
 * file, line and field path.
 */
final class Fields {
    private final Path file;
    private final String path;
    private final YamlNode.Mapping mapping;
    private final Problems problems;

    Fields(Path file, String path, YamlNode.Mapping mapping, Problems problems) {
        this.file = file;
        this.path = path;
        this.mapping = mapping;
        this.problems = problems;
    }

    String path() {
        return path;
    }

    Path file() {
        return file;
    }

    int line() {
        return mapping.line();
    }

    int lineOf(String key) {
        return mapping.keyLines().getOrDefault(key, mapping.line());
    }

    String pathOf(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    boolean has(String key) {
        return mapping.entries().containsKey(key);
    }

    Set<String> keys() {
        return mapping.entries().keySet();
    }

    void error(String key, String message) {
        problems.error(file, lineOf(key), pathOf(key), message);
    }

    void warn(String key, String message) {
        problems.warn(file, lineOf(key), pathOf(key), message);
    }

    /** Reports every key outside {@code known} as an error. */
    void rejectUnknown(Set<String> known) {
        for (String key : mapping.entries().keySet()) {
            if (!known.contains(key)) {
                error(
                        key,
                        "unknown field (expected one of "
                                + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    /** Accepts a field that only means something on Kubernetes, and says it is ignored. */
    void ignore(String key, String why) {
        if (has(key)) {
            warn(key, "ignored: " + why);
        }
    }

    Optional<String> string(String key) {
        YamlNode node = mapping.entries().get(key);
        if (node == null || node instanceof YamlNode.Scalar s && s.type() == YamlNode.Scalar.Type.NULL) {
            return Optional.empty();
        }
        if (node instanceof YamlNode.Scalar scalar) {
            return Optional.of(scalar.text());
        }
        error(key, "must be a string, found " + node.describe());
        return Optional.empty();
    }

    Optional<String> requiredString(String key) {
        Optional<String> value = string(key);
        if (value.isEmpty() && !has(key)) {
            problems.error(file, mapping.line(), pathOf(key), "is required");
        } else if (value.isPresent() && value.get().isEmpty()) {
            error(key, "must not be empty");
            return Optional.empty();
        }
        return value;
    }

    Optional<Integer> integer(String key) {
        YamlNode node = mapping.entries().get(key);
        if (node == null) {
            return Optional.empty();
        }
        if (node instanceof YamlNode.Scalar scalar
                && (scalar.type() == YamlNode.Scalar.Type.INTEGER || scalar.type() == YamlNode.Scalar.Type.STRING)) {
            try {
                return Optional.of(Integer.parseInt(scalar.text().trim()));
            } catch (NumberFormatException e) {
                error(key, "must be an integer, found \"" + scalar.text() + "\"");
                return Optional.empty();
            }
        }
        error(key, "must be an integer, found " + node.describe());
        return Optional.empty();
    }

    /** An ISO-8601 duration such as {@code PT0.2S} or {@code PT1M}. */
    Optional<Duration> duration(String key) {
        return string(key).flatMap(text -> {
            try {
                Duration value = Duration.parse(text.trim());
                if (value.isNegative()) {
                    error(key, "must not be negative, found \"" + text + "\"");
                    return Optional.empty();
                }
                return Optional.of(value);
            } catch (DateTimeParseException e) {
                error(key, "must be an ISO-8601 duration such as PT0.5S or PT1M, found \"" + text + "\"");
                return Optional.empty();
            }
        });
    }

    Optional<Fields> mapping(String key) {
        YamlNode node = mapping.entries().get(key);
        if (node == null || node instanceof YamlNode.Scalar s && s.type() == YamlNode.Scalar.Type.NULL) {
            return Optional.empty();
        }
        if (node instanceof YamlNode.Mapping child) {
            return Optional.of(new Fields(file, pathOf(key), child, problems));
        }
        error(key, "must be a mapping, found " + node.describe());
        return Optional.empty();
    }

    /** A list of mappings. */
    List<Fields> mappings(String key) {
        YamlNode node = mapping.entries().get(key);
        if (node == null || node instanceof YamlNode.Scalar s && s.type() == YamlNode.Scalar.Type.NULL) {
            return List.of();
        }
        if (!(node instanceof YamlNode.Sequence sequence)) {
            error(key, "must be a list, found " + node.describe());
            return List.of();
        }
        List<Fields> items = new ArrayList<>();
        for (int i = 0; i < sequence.items().size(); i++) {
            YamlNode item = sequence.items().get(i);
            String itemPath = pathOf(key) + "[" + i + "]";
            if (item instanceof YamlNode.Mapping child) {
                items.add(new Fields(file, itemPath, child, problems));
            } else {
                problems.error(file, item.line(), itemPath, "must be a mapping, found " + item.describe());
            }
        }
        return items;
    }

    /**
     * A list of strings given either as a list or as one comma-separated string (older Knative
     * resources, such as {@code KafkaSource} {@code v1alpha1}, use the latter); blanks are dropped.
     */
    List<String> stringsOrCommaSeparated(String key) {
        YamlNode node = mapping.entries().get(key);
        if (node instanceof YamlNode.Scalar scalar && scalar.type() != YamlNode.Scalar.Type.NULL) {
            return java.util.Arrays.stream(scalar.text().split(","))
                    .map(String::strip)
                    .filter(item -> !item.isEmpty())
                    .toList();
        }
        return strings(key).stream()
                .map(String::strip)
                .filter(item -> !item.isEmpty())
                .toList();
    }

    /**
     * One of an enum's constants, written in any case ({@code SQL92}, {@code orderly}); {@code
     * fallback} when absent, or (with an error naming the choices) when it is none of them.
     */
    <E extends Enum<E>> E choice(String key, Class<E> type, E fallback) {
        Optional<String> text = string(key);
        if (text.isEmpty()) {
            return fallback;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(text.get())) {
                return constant;
            }
        }
        List<String> allowed = java.util.Arrays.stream(type.getEnumConstants())
                .map(c -> c.name().toLowerCase(java.util.Locale.ROOT))
                .toList();
        error(key, "must be one of " + String.join(", ", allowed) + ", found \"" + text.get() + "\"");
        return fallback;
    }

    /** A list of strings. */
    List<String> strings(String key) {
        YamlNode node = mapping.entries().get(key);
        if (node == null || node instanceof YamlNode.Scalar s && s.type() == YamlNode.Scalar.Type.NULL) {
            return List.of();
        }
        if (!(node instanceof YamlNode.Sequence sequence)) {
            error(key, "must be a list, found " + node.describe());
            return List.of();
        }
        List<String> values = new ArrayList<>();
        for (YamlNode item : sequence.items()) {
            if (item instanceof YamlNode.Scalar scalar && scalar.type() != YamlNode.Scalar.Type.NULL) {
                values.add(scalar.text());
            } else {
                problems.error(file, item.line(), pathOf(key), "items must be strings, found " + item.describe());
            }
        }
        return values;
    }

    /** A mapping of strings to strings (annotations, filter attributes, address tables). */
    Map<String, String> stringMap(String key) {
        Map<String, String> values = new LinkedHashMap<>();
        mapping(key).ifPresent(child -> {
            for (String name : child.keys()) {
                child.string(name).ifPresentOrElse(value -> values.put(name, value), () -> {
                    if (child.mapping.entries().get(name) instanceof YamlNode.Scalar) {
                        values.put(name, "");
                    }
                });
            }
        });
        return values;
    }
}
