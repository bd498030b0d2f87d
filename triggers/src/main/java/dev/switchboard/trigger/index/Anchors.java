package dev.switchboard.trigger.index;

import dev.switchboard.trigger.condition.AllOf;
import dev.switchboard.trigger.condition.AnyOf;
import dev.switchboard.trigger.condition.AttributeCondition;
import dev.switchboard.trigger.condition.CesqlCondition;
import dev.switchboard.trigger.condition.Condition;
import dev.switchboard.trigger.condition.ConditionVisitor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Chooses where the index files a filter: a list of anchors such that every event the filter matches
 * meets at least one of them, or {@code null} when no such list exists ({@code not}, suffix-only,
 * match-all, CESQL without an equality or LIKE-prefix conjunct), in which case the filter is evaluated
 * for every event.
 *
 * <p>A conjunction is filed under its most selective indexable clause; a disjunction under the
 * anchors of all its alternatives, if each alternative has some.
 */
public final class Anchors implements ConditionVisitor<List<Anchor>> {
    private static final Anchors INSTANCE = new Anchors();

    private Anchors() {}

    public static List<Anchor> of(Condition condition) {
        return condition.accept(INSTANCE);
    }

    @Override
    public List<Anchor> matchAll() {
        return null;
    }

    @Override
    public List<Anchor> equals(AttributeCondition condition) {
        return List.of(new Anchor(condition.attribute(), condition.value(), false));
    }

    @Override
    public List<Anchor> prefix(AttributeCondition condition) {
        return List.of(new Anchor(condition.attribute(), condition.value(), true));
    }

    @Override
    public List<Anchor> other(Condition condition) {
        return condition instanceof CesqlCondition cesql ? cesql.expression().anchors() : null;
    }

    @Override
    public List<Anchor> allOf(AllOf condition) {
        return condition.clauses().stream()
                .map(clause -> clause.accept(this))
                .filter(anchors -> anchors != null)
                .min(Comparator.comparingInt(Anchors::cost))
                .orElse(null);
    }

    @Override
    public List<Anchor> anyOf(AnyOf condition) {
        List<Anchor> all = new ArrayList<>();
        for (Condition clause : condition.clauses()) {
            List<Anchor> anchors = clause.accept(this);
            if (anchors == null) {
                return null;
            }
            all.addAll(anchors);
        }
        return all;
    }

    /**
     * How many candidates a list of anchors lets through, roughly: each alternative adds its own, so a
     * longer list costs more. The lowest is the filter's best filing.
     */
    public static int cost(List<Anchor> anchors) {
        int total = 0;
        for (Anchor anchor : anchors) {
            total += anchor.cost() + 20;
        }
        return total;
    }
}
