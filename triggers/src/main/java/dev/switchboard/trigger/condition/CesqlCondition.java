package dev.switchboard.trigger.condition;

import dev.switchboard.trigger.cesql.CesqlEvaluation;
import dev.switchboard.trigger.cesql.CesqlExpression;
import io.cloudevents.CloudEvent;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * A CESQL expression as a filter clause. An evaluation error (a missing attribute, a failed cast, a
 * division by zero) means "no match" and is counted; it never escapes into the dispatch path.
 */
public final class CesqlCondition implements Condition {
    private final CesqlExpression expression;
    private final String path;
    private final LongAdder errors = new LongAdder();

    public CesqlCondition(CesqlExpression expression, String path) {
        this.expression = expression;
        this.path = path;
    }

    public CesqlExpression expression() {
        return expression;
    }

    /** Evaluations that ended in an error since this filter was compiled. */
    public long errors() {
        return errors.sum();
    }

    @Override
    public boolean test(CloudEvent event) {
        CesqlEvaluation evaluation;
        try {
            evaluation = expression.evaluate(event);
        } catch (RuntimeException e) {
            errors.increment();
            return false;
        }
        if (evaluation.failed()) {
            errors.increment();
            return false;
        }
        Boolean result = asBoolean(evaluation.value());
        if (result == null) {
            errors.increment();
            return false;
        }
        return result;
    }

    /** CESQL's cast to boolean: booleans as they are, the strings "true" and "false" in any case. */
    private static Boolean asBoolean(Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof String s) {
            String lower = s.toLowerCase(Locale.ROOT);
            if (lower.equals("true")) {
                return true;
            }
            if (lower.equals("false")) {
                return false;
            }
        }
        return null;
    }

    @Override
    public String whyNot(CloudEvent event) {
        CesqlEvaluation evaluation = expression.evaluate(event);
        if (evaluation.failed()) {
            return path + ": " + quoted() + " failed with a "
                    + evaluation.error().name().toLowerCase(Locale.ROOT) + " error (counts as no match)";
        }
        Boolean result = asBoolean(evaluation.value());
        if (result == null) {
            return path + ": " + quoted() + " returned " + evaluation.value() + ", not a boolean";
        }
        return result ? null : path + ": " + quoted() + " is false";
    }

    private String quoted() {
        return "\"" + expression.text() + "\"";
    }

    @Override
    public <R> R accept(ConditionVisitor<R> visitor) {
        return visitor.other(this);
    }
}
