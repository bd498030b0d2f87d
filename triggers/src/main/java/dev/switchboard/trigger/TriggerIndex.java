package dev.switchboard.trigger;

import dev.switchboard.trigger.condition.EventAttributes;
import dev.switchboard.trigger.index.Anchor;
import dev.switchboard.trigger.index.Anchors;
import dev.switchboard.trigger.index.CopyOnWrite;
import dev.switchboard.trigger.index.PrefixTrie;
import io.cloudevents.CloudEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The triggers of one broker, indexed so that matching an event costs about the number of triggers it
 * could match, not the number of triggers.
 *
 * <p>Each filter is filed under its {@link Anchors anchors}: exact conditions in a hash map per
 * attribute, prefix conditions in a prefix trie per attribute. Matching looks up the event's
 * attribute values, then evaluates the full filter of each candidate found, plus every filter that
 * has no anchor. Adding or removing a trigger touches only its own entries.
 *
 * <p>Matching is lock-free and runs on any number of threads; changes are serialized. Candidate lists
 * are immutable arrays replaced on change, so the hot path iterates plain arrays.
 *
 * @param <T> the trigger handle the caller wants back
 */
public final class TriggerIndex<T> {
    private final Map<T, Entry<T>> entries = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Object[]>> exact = new ConcurrentHashMap<>();
    private final Map<String, PrefixTrie<Entry<T>>> prefixes = new ConcurrentHashMap<>();
    private volatile Object[] unindexed = CopyOnWrite.EMPTY;
    private long sequence;

    /** Adds a trigger, or replaces its filter if it is already there. */
    public synchronized void put(T trigger, CompiledFilter filter) {
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(filter, "filter");
        remove(trigger);
        Entry<T> entry = new Entry<>(trigger, filter, Anchors.of(filter.condition()), ++sequence);
        entries.put(trigger, entry);
        if (entry.anchors == null) {
            unindexed = CopyOnWrite.plus(unindexed, entry);
            return;
        }
        for (Anchor anchor : entry.anchors) {
            if (anchor.prefix()) {
                prefixes.computeIfAbsent(anchor.attribute(), a -> new PrefixTrie<>())
                        .add(anchor.value(), entry);
            } else {
                exact.computeIfAbsent(anchor.attribute(), a -> new ConcurrentHashMap<>())
                        .merge(anchor.value(), new Object[] {entry}, (old, added) -> CopyOnWrite.plus(old, entry));
            }
        }
    }

    public synchronized void remove(T trigger) {
        Entry<T> entry = entries.remove(trigger);
        if (entry == null) {
            return;
        }
        if (entry.anchors == null) {
            unindexed = CopyOnWrite.minus(unindexed, entry);
            return;
        }
        for (Anchor anchor : entry.anchors) {
            if (anchor.prefix()) {
                prefixes.get(anchor.attribute()).remove(anchor.value(), entry);
            } else {
                exact.get(anchor.attribute()).computeIfPresent(anchor.value(), (v, old) -> {
                    Object[] rest = CopyOnWrite.minus(old, entry);
                    return rest.length == 0 ? null : rest;
                });
            }
        }
    }

    public int size() {
        return entries.size();
    }

    /** Triggers whose filters have no anchor and are evaluated for every event. */
    public int unindexedSize() {
        return unindexed.length;
    }

    /** The triggers the event matches, in no particular order. */
    public List<T> match(CloudEvent event) {
        Matches<T> matches = new Matches<>(event);
        for (Map.Entry<String, Map<String, Object[]>> byAttribute : exact.entrySet()) {
            String value = EventAttributes.text(event, byAttribute.getKey());
            if (value != null) {
                Object[] found = byAttribute.getValue().get(value);
                if (found != null) {
                    for (Object candidate : found) {
                        matches.consider(candidate);
                    }
                }
            }
        }
        for (Map.Entry<String, PrefixTrie<Entry<T>>> byAttribute : prefixes.entrySet()) {
            String value = EventAttributes.text(event, byAttribute.getKey());
            if (value != null) {
                byAttribute.getValue().collect(value, matches::consider);
            }
        }
        for (Object candidate : unindexed) {
            matches.consider(candidate);
        }
        return matches.triggers;
    }

    /** For every trigger, in the order they were added: whether the event matches it and why not. */
    public List<TriggerVerdict<T>> explain(CloudEvent event) {
        return entries.values().stream()
                .sorted(Comparator.comparingLong(e -> e.sequence))
                .map(e -> new TriggerVerdict<>(e.trigger, e.filter.explain(event)))
                .toList();
    }

    /** Collects the triggers of candidates whose filter matches, each once. */
    private static final class Matches<T> {
        final CloudEvent event;
        final List<T> triggers = new ArrayList<>();
        Set<Entry<T>> seenWithSeveralAnchors;

        Matches(CloudEvent event) {
            this.event = event;
        }

        @SuppressWarnings("unchecked")
        void consider(Object candidate) {
            Entry<T> entry = (Entry<T>) candidate;
            // Only a filter filed under several anchors (an "any") can be found twice.
            if (entry.severalAnchors) {
                if (seenWithSeveralAnchors == null) {
                    seenWithSeveralAnchors = new HashSet<>();
                }
                if (!seenWithSeveralAnchors.add(entry)) {
                    return;
                }
            }
            if (entry.filter.test(event)) {
                triggers.add(entry.trigger);
            }
        }
    }

    private static final class Entry<T> {
        final T trigger;
        final CompiledFilter filter;
        final List<Anchor> anchors;
        final boolean severalAnchors;
        final long sequence;

        Entry(T trigger, CompiledFilter filter, List<Anchor> anchors, long sequence) {
            this.trigger = trigger;
            this.filter = filter;
            this.anchors = anchors;
            this.severalAnchors = anchors != null && anchors.size() > 1;
            this.sequence = sequence;
        }
    }
}
