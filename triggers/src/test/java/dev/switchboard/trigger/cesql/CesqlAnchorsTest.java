package dev.switchboard.trigger.cesql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.trigger.index.Anchor;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CesqlAnchorsTest {
    static Stream<Arguments> expressions() {
        Anchor typeX = new Anchor("type", "x", false);
        return Stream.of(
                Arguments.of("type = 'x'", List.of(typeX)),
                Arguments.of("'x' = type", List.of(typeX)),
                Arguments.of("TYPE = 'x'", List.of(typeX)),
                Arguments.of("type = 'x' AND amount > 10", List.of(typeX)),
                Arguments.of("amount > 10 AND (type = 'x')", List.of(typeX)),
                Arguments.of("tenant = 'a' AND type = 'x'", List.of(typeX)),
                Arguments.of("type = 'x' OR source = '/s'", List.of(typeX, new Anchor("source", "/s", false))),
                Arguments.of("type LIKE 'com.acme.%'", List.of(new Anchor("type", "com.acme.", true))),
                Arguments.of("type LIKE 'exact'", List.of(new Anchor("type", "exact", false))),
                Arguments.of("type = 'x' OR amount > 1", null),
                Arguments.of("type != 'x'", null),
                Arguments.of("type <> 'x'", null),
                Arguments.of("NOT (type = 'x')", null),
                Arguments.of("type NOT LIKE 'com.%'", null),
                Arguments.of("type LIKE '%.created'", null),
                Arguments.of("type LIKE 'com._cme%'", null),
                Arguments.of("type LIKE '%'", null),
                Arguments.of("priority = 5", null),
                Arguments.of("EXISTS type", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("expressions")
    void shouldFindWhatTheExpressionImplies(String expression, List<Anchor> anchors) {
        assertThat(CesqlExpression.parse(expression).anchors()).isEqualTo(anchors);
    }
}
