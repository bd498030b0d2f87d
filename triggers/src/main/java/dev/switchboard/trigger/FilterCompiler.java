package dev.switchboard.trigger;

import dev.switchboard.trigger.cesql.CesqlExpression;
import dev.switchboard.trigger.cesql.CesqlParseException;
import dev.switchboard.trigger.condition.AllOf;
import dev.switchboard.trigger.condition.AnyOf;
import dev.switchboard.trigger.condition.AttributeCondition;
import dev.switchboard.trigger.condition.CesqlCondition;
import dev.switchboard.trigger.condition.Condition;
import dev.switchboard.trigger.condition.MatchAll;
import dev.switchboard.trigger.condition.NotOf;
import io.cloudevents.sql.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Validates a trigger's filter and compiles it into a {@link CompiledFilter}.
 *
 * <p>Stricter than Knative where Knative silently matches everything: empty attribute names or values
 * in {@code exact}/{@code prefix}/{@code suffix}, an empty {@code any}, and CESQL that does not parse
 * or cannot be boolean are refused, with the trigger and the field path in the message.
 */
public final class FilterCompiler {
    /** CloudEvents attribute names: lower-case letters and digits, starting with a letter. */
    public static final Pattern ATTRIBUTE_NAME = Pattern.compile("^[a-z][a-z0-9]*$");

    private FilterCompiler() {}

    /**
     * Compiles the trigger's effective filter: {@code spec.filters} when non-empty, else {@code
     * spec.filter.attributes}, else match-all.
     *
     * @throws InvalidFilterException listing every problem found
     */
    public static CompiledFilter compile(TriggerFilterSpec spec) {
        List<FilterProblem> problems = new ArrayList<>();
        Condition condition;
        if (!spec.filters().isEmpty()) {
            List<Condition> clauses = new ArrayList<>();
            for (int i = 0; i < spec.filters().size(); i++) {
                clauses.add(compile(spec.filters().get(i), "spec.filters[" + i + "]", problems));
            }
            condition = AllOf.of(clauses);
        } else if (!spec.attributes().isEmpty()) {
            condition = attributes(spec.attributes(), problems);
        } else {
            condition = MatchAll.INSTANCE;
        }
        if (!problems.isEmpty()) {
            throw new InvalidFilterException(spec.trigger(), problems);
        }
        return new CompiledFilter(spec.trigger(), condition);
    }

    private static Condition attributes(Map<String, String> attributes, List<FilterProblem> problems) {
        List<Condition> clauses = new ArrayList<>();
        for (Map.Entry<String, String> entry : new TreeMap<>(attributes).entrySet()) {
            String path = "spec.filter.attributes." + entry.getKey();
            checkName(entry.getKey(), path, problems);
            // Knative: an empty value means "present with any non-empty value".
            AttributeCondition.Kind kind =
                    entry.getValue().isEmpty() ? AttributeCondition.Kind.NON_EMPTY : AttributeCondition.Kind.EQUALS;
            clauses.add(new AttributeCondition(kind, entry.getKey(), entry.getValue(), path));
        }
        return AllOf.of(clauses);
    }

    private static Condition compile(FilterSpec spec, String path, List<FilterProblem> problems) {
        if (spec instanceof FilterSpec.Exact exact) {
            return attributeMap(exact.attributes(), AttributeCondition.Kind.EQUALS, path + ".exact", problems);
        }
        if (spec instanceof FilterSpec.Prefix prefix) {
            return attributeMap(prefix.attributes(), AttributeCondition.Kind.PREFIX, path + ".prefix", problems);
        }
        if (spec instanceof FilterSpec.Suffix suffix) {
            return attributeMap(suffix.attributes(), AttributeCondition.Kind.SUFFIX, path + ".suffix", problems);
        }
        if (spec instanceof FilterSpec.All all) {
            List<Condition> clauses = new ArrayList<>();
            for (int i = 0; i < all.filters().size(); i++) {
                clauses.add(compile(all.filters().get(i), path + ".all[" + i + "]", problems));
            }
            return AllOf.of(clauses);
        }
        if (spec instanceof FilterSpec.Any any) {
            if (any.filters().isEmpty()) {
                problems.add(new FilterProblem(path + ".any", "must list at least one filter"));
                return MatchAll.INSTANCE;
            }
            List<Condition> clauses = new ArrayList<>();
            for (int i = 0; i < any.filters().size(); i++) {
                clauses.add(compile(any.filters().get(i), path + ".any[" + i + "]", problems));
            }
            return AnyOf.of(clauses, path + ".any");
        }
        if (spec instanceof FilterSpec.Not not) {
            return new NotOf(compile(not.filter(), path + ".not", problems), path + ".not");
        }
        return cesql(((FilterSpec.Cesql) spec).expression(), path + ".cesql", problems);
    }

    private static Condition attributeMap(
            Map<String, String> attributes, AttributeCondition.Kind kind, String path, List<FilterProblem> problems) {
        if (attributes.isEmpty()) {
            problems.add(new FilterProblem(path, "must name at least one attribute"));
            return MatchAll.INSTANCE;
        }
        List<Condition> clauses = new ArrayList<>();
        for (Map.Entry<String, String> entry : new TreeMap<>(attributes).entrySet()) {
            String attributePath = path + "." + entry.getKey();
            checkName(entry.getKey(), attributePath, problems);
            if (entry.getValue().isEmpty()) {
                problems.add(
                        new FilterProblem(attributePath, "must not be empty (an empty value would match every event)"));
            }
            clauses.add(new AttributeCondition(kind, entry.getKey(), entry.getValue(), attributePath));
        }
        return AllOf.of(clauses);
    }

    private static Condition cesql(String text, String path, List<FilterProblem> problems) {
        CesqlExpression expression;
        try {
            expression = CesqlExpression.parse(text);
        } catch (CesqlParseException e) {
            problems.add(new FilterProblem(path, e.getMessage()));
            return MatchAll.INSTANCE;
        }
        Type type = expression.staticType();
        if (type != Type.BOOLEAN && type != Type.ANY) {
            problems.add(new FilterProblem(
                    path, "\"" + text + "\" yields " + type.name().toLowerCase(Locale.ROOT) + ", not a boolean"));
        }
        return new CesqlCondition(expression, path);
    }

    private static void checkName(String name, String path, List<FilterProblem> problems) {
        if (name.isEmpty()) {
            problems.add(new FilterProblem(path, "attribute name must not be empty"));
        } else if (!ATTRIBUTE_NAME.matcher(name).matches()) {
            problems.add(new FilterProblem(path, "attribute name \"" + name + "\" must match " + ATTRIBUTE_NAME));
        }
    }
}
