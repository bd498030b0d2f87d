package dev.switchboard.trigger.condition;

import io.cloudevents.CloudEvent;
import java.util.List;

/** Every clause matches; evaluated in order, stopping at the first that does not. */
public final class AllOf implements Condition {
    private final Condition[] clauses;

    private AllOf(List<Condition> clauses) {
        this.clauses = clauses.toArray(Condition[]::new);
    }

    /** The conjunction; a single clause is returned as is, none matches everything. */
    public static Condition of(List<Condition> clauses) {
        if (clauses.isEmpty()) {
            return MatchAll.INSTANCE;
        }
        return clauses.size() == 1 ? clauses.get(0) : new AllOf(clauses);
    }

    public List<Condition> clauses() {
        return List.of(clauses);
    }

    @Override
    public boolean test(CloudEvent event) {
        for (Condition clause : clauses) {
            if (!clause.test(event)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String whyNot(CloudEvent event) {
        for (Condition clause : clauses) {
            String reason = clause.whyNot(event);
            if (reason != null) {
                return reason;
            }
        }
        return null;
    }

    @Override
    public <R> R accept(ConditionVisitor<R> visitor) {
        return visitor.allOf(this);
    }
}
