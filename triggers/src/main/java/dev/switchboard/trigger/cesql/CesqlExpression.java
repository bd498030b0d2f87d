package dev.switchboard.trigger.cesql;

import dev.switchboard.trigger.index.Anchor;
import io.cloudevents.CloudEvent;
import io.cloudevents.sql.EvaluationException;
import io.cloudevents.sql.EvaluationRuntime;
import io.cloudevents.sql.ParseException;
import io.cloudevents.sql.Parser;
import io.cloudevents.sql.Result;
import io.cloudevents.sql.Type;
import io.cloudevents.sql.impl.ExpressionInternal;
import io.cloudevents.sql.impl.runtime.ExpressionImpl;
import java.util.List;
import java.util.Objects;

/**
 * A parsed CESQL v1 expression, evaluated by the CloudEvents SDK's CESQL engine with the corrections
 * that make it pass the specification's conformance suite (see {@link SpecConformance}).
 *
 * <p>Constant folding is disabled: the SDK folds at parse time and would turn an evaluation error in a
 * constant sub-expression ({@code 5 / 0}) into a parse error, where the specification wants the
 * value 0 and a math error.
 */
public final class CesqlExpression {
    private static final Parser PARSER =
            Parser.builder().disableConstantFolding().build();

    private final String text;
    private final io.cloudevents.sql.Expression expression;
    private final EvaluationRuntime runtime = EvaluationRuntime.getDefault();
    private final Type staticType;
    private final List<Anchor> anchors;

    private CesqlExpression(
            String text, io.cloudevents.sql.Expression expression, Type staticType, List<Anchor> anchors) {
        this.text = text;
        this.expression = expression;
        this.staticType = staticType;
        this.anchors = anchors;
    }

    /**
     * Parses an expression.
     *
     * @throws CesqlParseException if it is not valid CESQL v1
     */
    public static CesqlExpression parse(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isBlank()) {
            throw new CesqlParseException("empty CESQL expression", null);
        }
        io.cloudevents.sql.Expression parsed;
        try {
            parsed = PARSER.parse(text);
        } catch (ParseException e) {
            throw new CesqlParseException("invalid CESQL expression: " + e.getMessage(), e);
        }
        ExpressionInternal root = ((ExpressionImpl) parsed).getExpressionInternal();
        // Types and anchors are read from the SDK's own tree, before the conformance corrections wrap it.
        Type type = StaticTypes.of(root, EvaluationRuntime.getDefault());
        List<Anchor> anchors = CesqlAnchors.of(root);
        return new CesqlExpression(text, new ExpressionImpl(SpecConformance.correct(root)), type, anchors);
    }

    public String text() {
        return text;
    }

    /** The type the expression yields, when it can be known without an event ({@code ANY} otherwise). */
    public Type staticType() {
        return staticType;
    }

    /**
     * Conditions every event that satisfies the expression meets, for the trigger index; {@code null}
     * when there are none to use.
     */
    public List<Anchor> anchors() {
        return anchors;
    }

    /** Evaluates the expression; never throws for an evaluation error, it is in the result. */
    public CesqlEvaluation evaluate(CloudEvent event) {
        Result result = expression.evaluate(runtime, event);
        CesqlError error = null;
        if (result.isFailed()) {
            EvaluationException first = result.causes().iterator().next();
            error = kindOf(first);
        }
        return new CesqlEvaluation(result.value(), error);
    }

    private static CesqlError kindOf(EvaluationException e) {
        return switch (e.getKind()) {
            case CAST -> CesqlError.CAST;
            case MISSING_ATTRIBUTE -> CesqlError.MISSING_ATTRIBUTE;
            case MISSING_FUNCTION -> CesqlError.MISSING_FUNCTION;
            case FUNCTION_EVALUATION -> CesqlError.FUNCTION_EVALUATION;
            case MATH -> CesqlError.MATH;
            case GENERIC -> CesqlError.GENERIC;
        };
    }

    @Override
    public String toString() {
        return text;
    }
}
