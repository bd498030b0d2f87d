package dev.switchboard.trigger.condition;

import io.cloudevents.CloudEvent;

/**
 * A compiled filter clause. {@link #test} is the hot path; {@link #whyNot} is for explanations and
 * may be slower.
 */
public interface Condition {
    boolean test(CloudEvent event);

    /**
     * Why the event does not match, naming the first clause that failed, or {@code null} if it
     * matches.
     */
    String whyNot(CloudEvent event);

    /** Visits the clause tree (for the trigger index and for counting CESQL errors). */
    <R> R accept(ConditionVisitor<R> visitor);
}
