package dev.switchboard.trigger.condition;

import io.cloudevents.CloudEvent;

/** The clause does not match. */
public final class NotOf implements Condition {
    private final Condition clause;
    private final String path;

    public NotOf(Condition clause, String path) {
        this.clause = clause;
        this.path = path;
    }

    public Condition clause() {
        return clause;
    }

    @Override
    public boolean test(CloudEvent event) {
        return !clause.test(event);
    }

    @Override
    public String whyNot(CloudEvent event) {
        return test(event) ? null : path + ": the negated filter matched";
    }

    @Override
    public <R> R accept(ConditionVisitor<R> visitor) {
        return visitor.other(this);
    }
}
