package dev.switchboard.trigger;

import static dev.switchboard.trigger.FilterSpec.any;
import static dev.switchboard.trigger.FilterSpec.cesql;
import static dev.switchboard.trigger.FilterSpec.exact;
import static dev.switchboard.trigger.FilterSpec.not;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Filters refused at load time, each with the trigger and the field path in the message. */
class FilterValidationTest {

    static Stream<Arguments> invalidFilters() {
        return Stream.of(
                Arguments.of(
                        TriggerFilterSpec.attributes("orders", Map.of("Type", "x")),
                        "spec.filter.attributes.Type",
                        "attribute name \"Type\" must match"),
                Arguments.of(
                        TriggerFilterSpec.attributes("orders", Map.of("", "x")),
                        "spec.filter.attributes.",
                        "attribute name must not be empty"),
                Arguments.of(
                        TriggerFilterSpec.filters("orders", exact("type", "")),
                        "spec.filters[0].exact.type",
                        "must not be empty"),
                Arguments.of(
                        TriggerFilterSpec.filters("orders", exact("", "x")),
                        "spec.filters[0].exact.",
                        "attribute name must not be empty"),
                Arguments.of(
                        TriggerFilterSpec.filters("orders", new FilterSpec.Prefix(Map.of())),
                        "spec.filters[0].prefix",
                        "must name at least one attribute"),
                Arguments.of(
                        TriggerFilterSpec.filters("orders", FilterSpec.suffix("my-ext", "x")),
                        "spec.filters[0].suffix.my-ext",
                        "must match ^[a-z][a-z0-9]*$"),
                Arguments.of(
                        TriggerFilterSpec.filters("orders", exact("type", "x"), new FilterSpec.Any(List.of())),
                        "spec.filters[1].any",
                        "must list at least one filter"),
                Arguments.of(
                        TriggerFilterSpec.filters("orders", not(any(exact("type", "x"), exact("9lives", "y")))),
                        "spec.filters[0].not.any[1].exact.9lives",
                        "must match"),
                Arguments.of(
                        TriggerFilterSpec.filters("orders", cesql("type = ")),
                        "spec.filters[0].cesql",
                        "invalid CESQL expression"),
                Arguments.of(
                        TriggerFilterSpec.filters("orders", cesql("1 + 2")),
                        "spec.filters[0].cesql",
                        "yields integer, not a boolean"),
                Arguments.of(
                        TriggerFilterSpec.filters("orders", cesql("CONCAT(type, 'x')")),
                        "spec.filters[0].cesql",
                        "yields string, not a boolean"),
                Arguments.of(
                        TriggerFilterSpec.filters("orders", cesql("   ")),
                        "spec.filters[0].cesql",
                        "empty CESQL expression"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("invalidFilters")
    void shouldRefuseWithTriggerAndFieldPath(TriggerFilterSpec spec, String path, String message) {
        assertThatThrownBy(() -> FilterCompiler.compile(spec))
                .isInstanceOfSatisfying(InvalidFilterException.class, e -> {
                    assertThat(e.trigger()).isEqualTo("orders");
                    assertThat(e.problems()).anySatisfy(problem -> {
                        assertThat(problem.path()).isEqualTo(path);
                        assertThat(problem.message()).contains(message);
                    });
                })
                .hasMessageContaining("trigger 'orders'")
                .hasMessageContaining(path);
    }

    @Test
    void shouldReportEveryProblemAtOnce() {
        TriggerFilterSpec spec = TriggerFilterSpec.filters("orders", exact("Type", ""), cesql("("));

        assertThatThrownBy(() -> FilterCompiler.compile(spec))
                .isInstanceOfSatisfying(InvalidFilterException.class, e -> assertThat(e.problems())
                        .extracting(FilterProblem::path)
                        .containsExactly(
                                "spec.filters[0].exact.Type", "spec.filters[0].exact.Type", "spec.filters[1].cesql"));
    }

    @Test
    void shouldAcceptBooleanAndDynamicCesql() {
        assertThat(FilterCompiler.compile(TriggerFilterSpec.filters("t", cesql("EXISTS subject"))))
                .isNotNull();
        assertThat(FilterCompiler.compile(TriggerFilterSpec.filters("t", cesql("myflag"))))
                .isNotNull();
        assertThat(FilterCompiler.compile(TriggerFilterSpec.filters("t", cesql("IS_INT(x)"))))
                .isNotNull();
    }
}
