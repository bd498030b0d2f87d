package dev.switchboard.server.config;

import java.util.List;
import java.util.Map;

/** A YAML value with the line it starts on, so every problem can name its file and line. */
public sealed interface YamlNode permits YamlNode.Mapping, YamlNode.Sequence, YamlNode.Scalar {
    int line();

    /** What kind of value this is, for messages. */
    String describe();

    record Mapping(Map<String, YamlNode> entries, Map<String, Integer> keyLines, int line) implements YamlNode {
        @Override
        public String describe() {
            return "a mapping";
        }
    }

    record Sequence(List<YamlNode> items, int line) implements YamlNode {
        @Override
        public String describe() {
            return "a list";
        }
    }

    /**
     * A scalar as written (raw text), and whether YAML wrote it as a string, number, boolean or null.
     */
    record Scalar(String text, Type type, int line) implements YamlNode {
        public enum Type {
            STRING,
            INTEGER,
            FLOAT,
            BOOLEAN,
            NULL
        }

        @Override
        public String describe() {
            return switch (type) {
                case STRING -> "a string";
                case INTEGER -> "an integer";
                case FLOAT -> "a number";
                case BOOLEAN -> "a boolean";
                case NULL -> "null";
            };
        }
    }
}
