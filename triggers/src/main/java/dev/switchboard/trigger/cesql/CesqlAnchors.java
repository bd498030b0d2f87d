package dev.switchboard.trigger.cesql;

import dev.switchboard.trigger.index.Anchor;
import dev.switchboard.trigger.index.Anchors;
import io.cloudevents.sql.impl.ExpressionInternal;
import io.cloudevents.sql.impl.ExpressionInternalVisitor;
import io.cloudevents.sql.impl.expressions.AccessAttributeExpression;
import io.cloudevents.sql.impl.expressions.AndExpression;
import io.cloudevents.sql.impl.expressions.BaseBinaryExpression;
import io.cloudevents.sql.impl.expressions.ComparisonExpression;
import io.cloudevents.sql.impl.expressions.LikeExpression;
import io.cloudevents.sql.impl.expressions.OrExpression;
import io.cloudevents.sql.impl.expressions.ValueExpression;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds conditions a CESQL expression implies, so the trigger index can file CESQL filters too: {@code
 * attr = 'value'} gives an exact anchor and {@code attr LIKE 'prefix%'} a prefix anchor; {@code AND}
 * takes the better side, {@code OR} needs both. Anything else has no anchor ({@code null}), and
 * the expression is evaluated for every event.
 *
 * <p>The SDK's tree keeps operators and LIKE patterns private, so they are read from the node's text,
 * which is its tokens without whitespace ({@code type='x'}, {@code typeLIKE'com.%'}).
 */
final class CesqlAnchors implements ExpressionInternalVisitor<List<Anchor>> {
    private static final Pattern ATTRIBUTE = Pattern.compile("[a-z][a-z0-9]*");
    private static final Pattern LIKE = Pattern.compile("(?i)^([a-z][a-z0-9]*?)like'([^'\\\\%_]*)(%?)'$");
    private static final CesqlAnchors INSTANCE = new CesqlAnchors();

    static List<Anchor> of(ExpressionInternal expression) {
        return expression.visit(INSTANCE);
    }

    @Override
    public List<Anchor> visitExpressionInternal(ExpressionInternal expression) {
        return null;
    }

    @Override
    public List<Anchor> visitBaseBinaryExpression(BaseBinaryExpression expression) {
        if (expression instanceof AndExpression) {
            List<Anchor> left = of(expression.getLeftOperand());
            List<Anchor> right = of(expression.getRightOperand());
            if (left == null || right == null) {
                return left == null ? right : left;
            }
            return List.of(left, right).stream()
                    .min(Comparator.comparingInt(Anchors::cost))
                    .orElseThrow();
        }
        if (expression instanceof OrExpression) {
            List<Anchor> left = of(expression.getLeftOperand());
            List<Anchor> right = of(expression.getRightOperand());
            if (left == null || right == null) {
                return null;
            }
            List<Anchor> both = new ArrayList<>(left);
            both.addAll(right);
            return both;
        }
        if (expression instanceof ComparisonExpression) {
            return equality(expression);
        }
        return null;
    }

    private static List<Anchor> equality(BaseBinaryExpression comparison) {
        ExpressionInternal left = comparison.getLeftOperand();
        ExpressionInternal right = comparison.getRightOperand();
        String text = comparison.expressionText();
        String operator = text.substring(
                        left.expressionText().length(),
                        text.length() - right.expressionText().length())
                .trim();
        if (!operator.equals("=")) {
            return null;
        }
        if (left instanceof ValueExpression && right instanceof AccessAttributeExpression) {
            ExpressionInternal swap = left;
            left = right;
            right = swap;
        }
        if (left instanceof AccessAttributeExpression attribute
                && right instanceof ValueExpression value
                && value.getValue() instanceof String literal) {
            String name = attribute.expressionText().toLowerCase(Locale.ROOT);
            return ATTRIBUTE.matcher(name).matches() ? List.of(new Anchor(name, literal, false)) : null;
        }
        return null;
    }

    @Override
    public List<Anchor> visitLikeExpression(LikeExpression expression) {
        Matcher like = LIKE.matcher(expression.expressionText());
        if (!like.matches()) {
            return null;
        }
        String name = like.group(1).toLowerCase(Locale.ROOT);
        if (name.endsWith("not") || like.group(2).isEmpty()) {
            return null; // NOT LIKE (tokens run together), or a pattern that matches everything
        }
        return List.of(new Anchor(name, like.group(2), !like.group(3).isEmpty()));
    }
}
