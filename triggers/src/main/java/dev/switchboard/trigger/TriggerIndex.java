package dev.switchboard.trigger;

import dev.switchboard.trigger.condition.EventAttributes;
import dev.switchboard.trigger.index.Anchor;
import dev.switchboard.trigger.index.Anchors;
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
import java.util.concurrent.atomic.AtomicLong;

/**
 * The triggers of one broker, indexed so that matching an event costs about the number of triggers it
 * could match, not the number of triggers.
 *
 * <p>Each filter is filed under its {@link Anchors anchors}: exact conditions in a hash map per
 * attribute, prefix conditions in a prefix trie per attribute. Matching looks up the event's
 * attribute values, then evaluates the full filter of each candidate found, plus every filter that
 * has no anchor (CESQL, {@code not}, suffix-only, no filter). Adding or removing a trigger touches only
 * its own entries. Matching is lock-free and may run on many threads; changes are serialized.
 *
 * @param <T> the trigger handle the caller wants back
 */
public final class TriggerIndex<T> {
    private final Map<T, Entry<T>> entries = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Set<Entry<T>>>> exact = new ConcurrentHashMap<>();
    private final Map<String, PrefixTrie<Entry<T>>> prefixes = new ConcurrentHashMap<>();
    private final Set<Entry<T>> unindexed = ConcurrentHashMap.newKeySet();
    private final AtomicLong sequence = new AtomicLong();

    /** Adds a trigger, or replaces its filter if it is already there. */
    public synchronized void put(T trigger, CompiledFilter filter) {
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(filter, "filter");
        remove(trigger);
        Entry<T> entry = new Entry<>(trigger, filter, Anchors.of(filter.condition()), sequence.incrementAndGet());
        entries.put(trigger, entry);
        if (entry.anchors == null) {
            unindexed.add(entry);
            return;
        }
        for (Anchor anchor : entry.anchors) {
            if (anchor.prefix()) {
                prefixes.computeIfAbsent(anchor.attribute(), a -> new PrefixTrie<>())
                        .add(anchor.value(), entry);
            } else {
                exact.computeIfAbsent(anchor.attribute(), a -> new ConcurrentHashMap<>())
                        .computeIfAbsent(anchor.value(), v -> ConcurrentHashMap.newKeySet())
                        .add(entry);
            }
        }
    }

    public synchronized void remove(T trigger) {
        Entry<T> entry = entries.remove(trigger);
        if (entry == null) {
            return;
        }
        if (entry.anchors == null) {
            unindexed.remove(entry);
            return;
        }
        for (Anchor anchor : entry.anchors) {
            if (anchor.prefix()) {
                PrefixTrie<Entry<T>> trie = prefixes.get(anchor.attribute());
                if (trie != null) {
                    trie.remove(anchor.value(), entry);
                }
            } else {
                Map<String, Set<Entry<T>>> byValue = exact.get(anchor.attribute());
                if (byValue != null) {
                    byValue.computeIfPresent(anchor.value(), (v, set) -> {
                        set.remove(entry);
                        return set.isEmpty() ? null : set;
                    });
                }
            }
        }
    }

    public int size() {
        return entries.size();
    }

    /** Triggers whose filters have no anchor and are evaluated for every event. */
    public int unindexedSize() {
        return unindexed.size();
    }

    /** The triggers the event matches, in the order they were added. */
    public List<T> match(CloudEvent event) {
        Set<Entry<T>> candidates = new HashSet<>();
        for (Map.Entry<String, Map<String, Set<Entry<T>>>> byAttribute : exact.entrySet()) {
            String value = EventAttributes.text(event, byAttribute.getKey());
            if (value != null) {
                Set<Entry<T>> found = byAttribute.getValue().get(value);
                if (found != null) {
                    candidates.addAll(found);
                }
            }
        }
        for (Map.Entry<String, PrefixTrie<Entry<T>>> byAttribute : prefixes.entrySet()) {
            String value = EventAttributes.text(event, byAttribute.getKey());
            if (value != null) {
                byAttribute.getValue().collect(value, candidates);
            }
        }
        List<Entry<T>> matched = new ArrayList<>();
        for (Entry<T> entry : candidates) {
            if (entry.filter.test(event)) {
                matched.add(entry);
            }
        }
        for (Entry<T> entry : unindexed) {
            if (entry.filter.test(event)) {
                matched.add(entry);
            }
        }
        matched.sort(Comparator.comparingLong(e -> e.sequence));
        List<T> triggers = new ArrayList<>(matched.size());
        for (Entry<T> entry : matched) {
            triggers.add(entry.trigger);
        }
        return triggers;
    }

    /** For every trigger, in the order they were added: whether the event matches it and why not. */
    public List<TriggerVerdict<T>> explain(CloudEvent event) {
        return entries.values().stream()
                .sorted(Comparator.comparingLong(e -> e.sequence))
                .map(e -> new TriggerVerdict<>(e.trigger, e.filter.explain(event)))
                .toList();
    }

    private static final class Entry<T> {
        final T trigger;
        final CompiledFilter filter;
        final List<Anchor> anchors;
        final long sequence;

        Entry(T trigger, CompiledFilter filter, List<Anchor> anchors, long sequence) {
            this.trigger = trigger;
            this.filter = filter;
            this.anchors = anchors;
            this.sequence = sequence;
        }
    }
}
