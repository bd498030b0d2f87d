package dev.switchboard.trigger.cesql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.switchboard.core.testing.SharedTestData;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CESQL v1 conformance suite ({@code shared/testdata/cesql-tck}), every case: values and error
 * kinds alike. Scalars are read as the raw YAML text, so {@code TRUE} stays {@code TRUE}.
 */
class CesqlConformanceTest {
    private static final Path SUITE = SharedTestData.resolve("cesql-tck");

    /** A YAML scalar with its raw text and the token the parser gave it. */
    record Scalar(String text, JsonToken token) {
        Object typed() {
            return switch (token) {
                case VALUE_TRUE -> Boolean.TRUE;
                case VALUE_FALSE -> Boolean.FALSE;
                case VALUE_NUMBER_INT -> Integer.valueOf(text);
                default -> text;
            };
        }
    }

    record Case(String file, String name, String expression, Object result, CesqlError error, CloudEvent event) {
        @Override
        public String toString() {
            return file + ": " + name;
        }
    }

    static Stream<Arguments> cases() throws IOException {
        List<Arguments> cases = new ArrayList<>();
        try (Stream<Path> files = Files.list(SUITE)) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                @SuppressWarnings("unchecked")
                Map<String, Object> suite = (Map<String, Object>) read(file);
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> tests = (List<Map<String, Object>>) suite.get("tests");
                for (Map<String, Object> test : tests) {
                    Case c = toCase(file.getFileName().toString(), test);
                    cases.add(Arguments.of(c));
                }
            }
        }
        return cases.stream();
    }

    @Test
    void shouldReadTheWholeSuite() throws IOException {
        assertThat(cases()).hasSize(275);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldConformToTheSpecification(Case c) {
        if (c.error() == CesqlError.PARSE) {
            assertThatThrownBy(() -> CesqlExpression.parse(c.expression())).isInstanceOf(CesqlParseException.class);
            return;
        }
        CesqlEvaluation evaluation = CesqlExpression.parse(c.expression()).evaluate(c.event());
        if (c.result() != null) {
            assertThat(evaluation.value()).as("value of %s", c.expression()).isEqualTo(c.result());
        }
        assertThat(evaluation.error()).as("error of %s", c.expression()).isEqualTo(c.error());
    }

    private static Case toCase(String file, Map<String, Object> test) {
        String name = ((Scalar) test.get("name")).text();
        String expression = ((Scalar) test.get("expression")).text();
        Object result = test.containsKey("result") ? ((Scalar) test.get("result")).typed() : null;
        CesqlError error = test.containsKey("error") ? errorKind(((Scalar) test.get("error")).text()) : null;
        return new Case(file, name, expression, result, error, event(test));
    }

    private static CesqlError errorKind(String kind) {
        return switch (kind) {
            case "parse" -> CesqlError.PARSE;
            case "math" -> CesqlError.MATH;
            case "cast" -> CesqlError.CAST;
            case "missingFunction" -> CesqlError.MISSING_FUNCTION;
            case "functionEvaluation" -> CesqlError.FUNCTION_EVALUATION;
            case "missingAttribute" -> CesqlError.MISSING_ATTRIBUTE;
            case "generic" -> CesqlError.GENERIC;
            default -> throw new IllegalArgumentException("unknown error kind " + kind);
        };
    }

    @SuppressWarnings("unchecked")
    private static CloudEvent event(Map<String, Object> test) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        if (test.containsKey("event")) {
            attributes.putAll((Map<String, Object>) test.get("event"));
        } else {
            attributes.put("specversion", new Scalar("1.0", JsonToken.VALUE_STRING));
            attributes.put("id", new Scalar("1", JsonToken.VALUE_STRING));
            attributes.put("type", new Scalar("mock.test", JsonToken.VALUE_STRING));
            attributes.put("source", new Scalar("http://localhost/source", JsonToken.VALUE_STRING));
            if (test.containsKey("eventOverrides")) {
                attributes.putAll((Map<String, Object>) test.get("eventOverrides"));
            }
        }
        CloudEventBuilder builder = CloudEventBuilder.v1();
        for (Map.Entry<String, Object> entry : attributes.entrySet()) {
            Scalar value = (Scalar) entry.getValue();
            switch (entry.getKey()) {
                case "specversion" -> {}
                case "id" -> builder.withId(value.text());
                case "type" -> builder.withType(value.text());
                case "source" -> builder.withSource(URI.create(value.text()));
                case "subject" -> builder.withSubject(value.text());
                case "time" -> builder.withTime(OffsetDateTime.parse(value.text()));
                case "datacontenttype" -> builder.withDataContentType(value.text());
                case "dataschema" -> builder.withDataSchema(URI.create(value.text()));
                default -> {
                    Object typed = value.typed();
                    if (typed instanceof Boolean b) {
                        builder.withExtension(entry.getKey(), b);
                    } else if (typed instanceof Integer i) {
                        builder.withExtension(entry.getKey(), i);
                    } else {
                        builder.withExtension(entry.getKey(), (String) typed);
                    }
                }
            }
        }
        return builder.build();
    }

    /** Reads YAML into maps, lists and {@link Scalar}s that keep the raw text. */
    private static Object read(Path file) throws IOException {
        try (JsonParser parser = new YAMLFactory().createParser(file.toFile())) {
            parser.nextToken();
            return readValue(parser);
        }
    }

    private static Object readValue(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_OBJECT) {
            Map<String, Object> map = new LinkedHashMap<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                parser.nextToken();
                map.put(key, readValue(parser));
            }
            return map;
        }
        if (token == JsonToken.START_ARRAY) {
            List<Object> list = new ArrayList<>();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                list.add(readValue(parser));
            }
            return list;
        }
        return new Scalar(parser.getText(), token);
    }
}
