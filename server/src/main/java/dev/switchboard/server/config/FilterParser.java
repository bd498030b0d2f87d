package dev.switchboard.server.config;

import dev.switchboard.trigger.FilterSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a Trigger's {@code spec.filters} into {@link FilterSpec}s, checking the shape (one dialect per
 * filter object, the right types) and remembering the line of every field path, so that the trigger
 * module's semantic checks can be reported with a line too.
 */
final class FilterParser {
    private static final Set<String> DIALECTS = Set.of("exact", "prefix", "suffix", "all", "any", "not", "cesql");

    private final Map<String, Integer> lines = new HashMap<>();

    /** The line of a field path, or of its nearest enclosing path that has one. */
    int lineOf(String path, int fallback) {
        for (String p = path; !p.isEmpty(); p = parent(p)) {
            Integer line = lines.get(p);
            if (line != null) {
                return line;
            }
        }
        return fallback;
    }

    private static String parent(String path) {
        int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
        return cut <= 0 ? "" : path.substring(0, cut);
    }

    List<FilterSpec> filters(Fields spec) {
        List<FilterSpec> filters = new ArrayList<>();
        for (Fields item : spec.mappings("filters")) {
            filter(item).ifPresent(filters::add);
        }
        return filters;
    }

    Map<String, String> attributes(Fields filter) {
        Map<String, String> attributes = filter.stringMap("attributes");
        filter.mapping("attributes").ifPresent(a -> a.keys().forEach(k -> lines.put(a.pathOf(k), a.lineOf(k))));
        return attributes;
    }

    private Optional<FilterSpec> filter(Fields item) {
        lines.put(item.path(), item.line());
        List<String> dialects = item.keys().stream().filter(DIALECTS::contains).toList();
        item.rejectUnknown(DIALECTS);
        if (dialects.size() != 1) {
            item.keys().stream()
                    .findFirst()
                    .ifPresentOrElse(
                            first -> item.error(
                                    first,
                                    "a filter must use exactly one of "
                                            + String.join(
                                                    ", ",
                                                    DIALECTS.stream().sorted().toList()) + ", found "
                                            + (dialects.isEmpty() ? "none" : String.join(", ", dialects))),
                            () -> item.error("", "a filter must use exactly one dialect, found none"));
            return Optional.empty();
        }
        String dialect = dialects.get(0);
        lines.put(item.pathOf(dialect), item.lineOf(dialect));
        return switch (dialect) {
            case "exact" -> Optional.of(new FilterSpec.Exact(attributeMap(item, dialect)));
            case "prefix" -> Optional.of(new FilterSpec.Prefix(attributeMap(item, dialect)));
            case "suffix" -> Optional.of(new FilterSpec.Suffix(attributeMap(item, dialect)));
            case "all" -> Optional.of(new FilterSpec.All(nested(item, dialect)));
            case "any" -> Optional.of(new FilterSpec.Any(nested(item, dialect)));
            case "not" -> item.mapping(dialect).flatMap(this::filter).map(FilterSpec.Not::new);
            default -> item.string(dialect).map(FilterSpec.Cesql::new);
        };
    }

    private Map<String, String> attributeMap(Fields item, String dialect) {
        item.mapping(dialect).ifPresent(map -> map.keys().forEach(k -> lines.put(map.pathOf(k), map.lineOf(k))));
        return item.stringMap(dialect);
    }

    private List<FilterSpec> nested(Fields item, String dialect) {
        List<FilterSpec> filters = new ArrayList<>();
        for (Fields child : item.mappings(dialect)) {
            filter(child).ifPresent(filters::add);
        }
        return filters;
    }
}
