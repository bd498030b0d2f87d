package dev.switchboard.trigger.index;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Values stored under string prefixes; {@link #collect} finds every value whose prefix starts the
 * given text, walking the text once.
 *
 * <p>Writers must be serialized by the caller; readers need no lock. Each node's values are an
 * immutable array replaced on change, so a reader sees either the old or the new array, and
 * iterating it is as cheap as it gets.
 */
public final class PrefixTrie<E> {
    private final Node<E> root = new Node<>();

    public void add(String prefix, E value) {
        Node<E> node = root;
        for (int i = 0; i < prefix.length(); i++) {
            node = node.children.computeIfAbsent(prefix.charAt(i), c -> new Node<>());
        }
        node.values = CopyOnWrite.plus(node.values, value);
    }

    public void remove(String prefix, E value) {
        Node<E> node = root;
        for (int i = 0; i < prefix.length() && node != null; i++) {
            node = node.children.get(prefix.charAt(i));
        }
        if (node != null) {
            node.values = CopyOnWrite.minus(node.values, value);
        }
    }

    /** Passes to {@code sink} the values of every stored prefix of {@code text}. */
    public void collect(String text, Consumer<E> sink) {
        Node<E> node = root;
        for (int i = 0; i < text.length(); i++) {
            node = node.children.get(text.charAt(i));
            if (node == null) {
                return;
            }
            for (Object value : node.values) {
                @SuppressWarnings("unchecked")
                E typed = (E) value;
                sink.accept(typed);
            }
        }
    }

    private static final class Node<E> {
        final Map<Character, Node<E>> children = new ConcurrentHashMap<>(4);
        volatile Object[] values = CopyOnWrite.EMPTY;
    }
}
