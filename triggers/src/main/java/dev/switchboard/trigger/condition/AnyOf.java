package dev.switchboard.trigger.condition;

import io.cloudevents.CloudEvent;
import java.util.List;
import java.util.stream.Collectors;

/** At least one clause matches. */
public final class AnyOf implements Condition {
    private final Condition[] clauses;
    private final String path;

    private AnyOf(List<Condition> clauses, String path) {
        this.clauses = clauses.toArray(Condition[]::new);
        this.path = path;
    }

    /** The disjunction; a single clause is returned as is. */
    public static Condition of(List<Condition> clauses, String path) {
        if (clauses.isEmpty()) {
            throw new IllegalArgumentException(path + ": an empty any matches nothing");
        }
        return clauses.size() == 1 ? clauses.get(0) : new AnyOf(clauses, path);
    }

    public List<Condition> clauses() {
        return List.of(clauses);
    }

    @Override
    public boolean test(CloudEvent event) {
        for (Condition clause : clauses) {
            if (clause.test(event)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String whyNot(CloudEvent event) {
        if (test(event)) {
            return null;
        }
        return path + ": no alternative matched ("
                + java.util.Arrays.stream(clauses).map(c -> c.whyNot(event)).collect(Collectors.joining("; "))
                + ")";
    }

    @Override
    public <R> R accept(ConditionVisitor<R> visitor) {
        return visitor.anyOf(this);
    }
}
