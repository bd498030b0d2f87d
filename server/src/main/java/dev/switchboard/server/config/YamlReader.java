package dev.switchboard.server.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads every document of a YAML file into {@link YamlNode}s that remember their lines. */
final class YamlReader {
    private static final YAMLFactory FACTORY = new YAMLFactory();

    private YamlReader() {}

    /** The documents of the file, in order; empty documents are skipped. */
    static List<YamlNode> documents(Path file) throws IOException {
        List<YamlNode> documents = new ArrayList<>();
        try (JsonParser parser = FACTORY.createParser(file.toFile())) {
            while (parser.nextToken() != null) {
                YamlNode node = read(parser);
                if (!(node instanceof YamlNode.Scalar scalar && scalar.type() == YamlNode.Scalar.Type.NULL)) {
                    documents.add(node);
                }
            }
        }
        return documents;
    }

    private static YamlNode read(JsonParser parser) throws IOException {
        int line = parser.currentTokenLocation().getLineNr();
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_OBJECT) {
            Map<String, YamlNode> entries = new LinkedHashMap<>();
            Map<String, Integer> keyLines = new LinkedHashMap<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                // Keys are a small vocabulary repeated by every resource (a filter's "type" outlives the
                // parse in each of 10,000 triggers): one instance each, as Jackson's JSON parser does.
                String key = parser.currentName().intern();
                keyLines.put(key, parser.currentTokenLocation().getLineNr());
                parser.nextToken();
                entries.put(key, read(parser));
            }
            return new YamlNode.Mapping(entries, keyLines, line);
        }
        if (token == JsonToken.START_ARRAY) {
            List<YamlNode> items = new ArrayList<>();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                items.add(read(parser));
            }
            return new YamlNode.Sequence(items, line);
        }
        YamlNode.Scalar.Type type =
                switch (token) {
                    case VALUE_NUMBER_INT -> YamlNode.Scalar.Type.INTEGER;
                    case VALUE_NUMBER_FLOAT -> YamlNode.Scalar.Type.FLOAT;
                    case VALUE_TRUE, VALUE_FALSE -> YamlNode.Scalar.Type.BOOLEAN;
                    case VALUE_NULL -> YamlNode.Scalar.Type.NULL;
                    default -> YamlNode.Scalar.Type.STRING;
                };
        return new YamlNode.Scalar(type == YamlNode.Scalar.Type.NULL ? "" : parser.getText(), type, line);
    }
}
