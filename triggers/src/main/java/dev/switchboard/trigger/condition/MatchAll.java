package dev.switchboard.trigger.condition;

import io.cloudevents.CloudEvent;

/** No filter: every event matches. */
public enum MatchAll implements Condition {
    INSTANCE;

    @Override
    public boolean test(CloudEvent event) {
        return true;
    }

    @Override
    public String whyNot(CloudEvent event) {
        return null;
    }

    @Override
    public <R> R accept(ConditionVisitor<R> visitor) {
        return visitor.matchAll();
    }
}
