package dev.switchboard.trigger;

import dev.switchboard.core.EventFilter;
import dev.switchboard.trigger.condition.AllOf;
import dev.switchboard.trigger.condition.AnyOf;
import dev.switchboard.trigger.condition.AttributeCondition;
import dev.switchboard.trigger.condition.CesqlCondition;
import dev.switchboard.trigger.condition.Condition;
import dev.switchboard.trigger.condition.ConditionVisitor;
import dev.switchboard.trigger.condition.NotOf;
import io.cloudevents.CloudEvent;
import java.util.Objects;
import java.util.Optional;

/** A trigger's validated, compiled filter. Thread-safe; evaluation never throws. */
public final class CompiledFilter implements EventFilter {
    private final String trigger;
    private final Condition condition;

    CompiledFilter(String trigger, Condition condition) {
        this.trigger = Objects.requireNonNull(trigger, "trigger");
        this.condition = Objects.requireNonNull(condition, "condition");
    }

    public String trigger() {
        return trigger;
    }

    @Override
    public boolean test(CloudEvent event) {
        return condition.test(event);
    }

    /**
     * Why the event does not match: the first clause that failed, with the field path and the values
     * compared ({@code spec.filters[0].prefix.type: "com.acme.order.created" does not start with
     * "com.other."}); empty when it matches.
     */
    public Optional<String> explain(CloudEvent event) {
        return Optional.ofNullable(condition.whyNot(event));
    }

    /** CESQL evaluations of this filter that ended in an error (each counted as no match). */
    public long cesqlErrors() {
        return condition.accept(new CesqlErrorCounter());
    }

    /** The clause tree, for the trigger index. */
    public Condition condition() {
        return condition;
    }

    private static final class CesqlErrorCounter implements ConditionVisitor<Long> {
        @Override
        public Long matchAll() {
            return 0L;
        }

        @Override
        public Long equals(AttributeCondition condition) {
            return 0L;
        }

        @Override
        public Long prefix(AttributeCondition condition) {
            return 0L;
        }

        @Override
        public Long other(Condition condition) {
            if (condition instanceof CesqlCondition cesql) {
                return cesql.errors();
            }
            if (condition instanceof NotOf not) {
                return not.clause().accept(this);
            }
            return 0L;
        }

        @Override
        public Long allOf(AllOf condition) {
            return condition.clauses().stream().mapToLong(c -> c.accept(this)).sum();
        }

        @Override
        public Long anyOf(AnyOf condition) {
            return condition.clauses().stream().mapToLong(c -> c.accept(this)).sum();
        }
    }
}
