package dev.switchboard.trigger.condition;

/** A visitor over compiled clauses. */
public interface ConditionVisitor<R> {
    R matchAll();

    R equals(AttributeCondition condition);

    R prefix(AttributeCondition condition);

    R other(Condition condition);

    R allOf(AllOf condition);

    R anyOf(AnyOf condition);
}
