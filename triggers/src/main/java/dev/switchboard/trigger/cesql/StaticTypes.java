package dev.switchboard.trigger.cesql;

import io.cloudevents.sql.EvaluationRuntime;
import io.cloudevents.sql.Type;
import io.cloudevents.sql.impl.ExpressionInternal;
import io.cloudevents.sql.impl.ExpressionInternalVisitor;
import io.cloudevents.sql.impl.expressions.AccessAttributeExpression;
import io.cloudevents.sql.impl.expressions.AndExpression;
import io.cloudevents.sql.impl.expressions.BaseBinaryExpression;
import io.cloudevents.sql.impl.expressions.BaseUnaryExpression;
import io.cloudevents.sql.impl.expressions.ComparisonExpression;
import io.cloudevents.sql.impl.expressions.ExistsExpression;
import io.cloudevents.sql.impl.expressions.FunctionInvocationExpression;
import io.cloudevents.sql.impl.expressions.InExpression;
import io.cloudevents.sql.impl.expressions.IntegerComparisonBinaryExpression;
import io.cloudevents.sql.impl.expressions.LikeExpression;
import io.cloudevents.sql.impl.expressions.OrExpression;
import io.cloudevents.sql.impl.expressions.ValueExpression;
import io.cloudevents.sql.impl.expressions.XorExpression;
import java.util.Locale;

/**
 * The type of an expression's result as far as it is known before evaluation: operators and functions
 * have fixed result types, literals have their own, attribute access is {@code ANY}.
 */
final class StaticTypes implements ExpressionInternalVisitor<Type> {
    private final EvaluationRuntime runtime;

    private StaticTypes(EvaluationRuntime runtime) {
        this.runtime = runtime;
    }

    static Type of(ExpressionInternal expression, EvaluationRuntime runtime) {
        return expression.visit(new StaticTypes(runtime));
    }

    @Override
    public Type visitExpressionInternal(ExpressionInternal expression) {
        return Type.ANY;
    }

    @Override
    public Type visitAccessAttributeExpression(AccessAttributeExpression expression) {
        return Type.ANY;
    }

    @Override
    public Type visitBaseBinaryExpression(BaseBinaryExpression expression) {
        boolean logicalOrComparison = expression instanceof AndExpression
                || expression instanceof OrExpression
                || expression instanceof XorExpression
                || expression instanceof ComparisonExpression
                || expression instanceof IntegerComparisonBinaryExpression;
        return logicalOrComparison ? Type.BOOLEAN : Type.INTEGER;
    }

    @Override
    public Type visitExistsExpression(ExistsExpression expression) {
        return Type.BOOLEAN;
    }

    @Override
    public Type visitInExpression(InExpression expression) {
        return Type.BOOLEAN;
    }

    @Override
    public Type visitLikeExpression(LikeExpression expression) {
        return Type.BOOLEAN;
    }

    @Override
    public Type visitBaseUnaryExpression(BaseUnaryExpression expression) {
        return expression.returnType();
    }

    @Override
    public Type visitValueExpression(ValueExpression expression) {
        return Type.fromValue(expression.getValue());
    }

    @Override
    public Type visitFunctionInvocationExpression(FunctionInvocationExpression expression) {
        String text = expression.expressionText();
        int open = text.indexOf('(');
        if (open < 0) {
            return Type.ANY;
        }
        String name = text.substring(0, open).trim().toUpperCase(Locale.ROOT);
        int arity = countArguments(text.substring(open + 1, text.lastIndexOf(')')));
        try {
            return runtime.resolveFunction(name, arity).returnType();
        } catch (RuntimeException e) {
            return Type.ANY; // an unknown function is reported when evaluated
        }
    }

    /** Top-level commas of an argument list, outside quotes and nested parentheses. */
    private static int countArguments(String arguments) {
        if (arguments.isBlank()) {
            return 0;
        }
        int count = 1;
        int depth = 0;
        char quote = 0;
        for (char c : arguments.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                count++;
            }
        }
        return count;
    }
}
