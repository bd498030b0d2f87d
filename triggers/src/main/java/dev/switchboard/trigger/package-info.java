/**
 * Triggers: Knative's {@code filter.attributes} and the CloudEvents SubscriptionsAPI {@code filters}
 * dialect (exact, prefix, suffix, all, any, not, cesql), validated and compiled into {@link
 * dev.switchboard.core.EventFilter}s, an index that finds the triggers an event matches without
 * evaluating every filter, and explanations of why a trigger did not match.
 */
package dev.switchboard.trigger;
