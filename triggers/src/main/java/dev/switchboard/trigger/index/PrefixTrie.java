package dev.switchboard.trigger.index;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Values stored under string prefixes; {@link #collect} finds every value whose prefix starts the
 * given text, walking the text once. Safe for concurrent reads and writes (reads see a consistent
 * node at a time, which is all matching needs).
 */
public final class PrefixTrie<E> {
    private final Node<E> root = new Node<>();

    public void add(String prefix, E value) {
        Node<E> node = root;
        for (int i = 0; i < prefix.length(); i++) {
            node = node.children.computeIfAbsent(prefix.charAt(i), c -> new Node<>());
        }
        node.values.add(value);
    }

    public void remove(String prefix, E value) {
        Node<E> node = root;
        for (int i = 0; i < prefix.length() && node != null; i++) {
            node = node.children.get(prefix.charAt(i));
        }
        if (node != null) {
            node.values.remove(value);
        }
    }

    /** Adds to {@code sink} the values of every stored prefix of {@code text}. */
    public void collect(String text, Collection<E> sink) {
        Node<E> node = root;
        sink.addAll(node.values);
        for (int i = 0; i < text.length(); i++) {
            node = node.children.get(text.charAt(i));
            if (node == null) {
                return;
            }
            if (!node.values.isEmpty()) {
                sink.addAll(node.values);
            }
        }
    }

    private static final class Node<E> {
        final Map<Character, Node<E>> children = new ConcurrentHashMap<>(4);
        final Set<E> values = ConcurrentHashMap.newKeySet(2);
    }
}
