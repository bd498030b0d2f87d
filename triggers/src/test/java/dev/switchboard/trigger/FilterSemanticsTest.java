package dev.switchboard.trigger;

import static dev.switchboard.trigger.FilterSpec.all;
import static dev.switchboard.trigger.FilterSpec.any;
import static dev.switchboard.trigger.FilterSpec.cesql;
import static dev.switchboard.trigger.FilterSpec.exact;
import static dev.switchboard.trigger.FilterSpec.not;
import static dev.switchboard.trigger.FilterSpec.prefix;
import static dev.switchboard.trigger.FilterSpec.suffix;
import static org.assertj.core.api.Assertions.assertThat;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Knative's filter semantics and the SubscriptionsAPI dialect, rule by rule. */
class FilterSemanticsTest {
    static final CloudEvent EVENT = CloudEventBuilder.v1()
            .withId("evt-1")
            .withType("com.acme.order.created")
            .withSource(URI.create("https://acme.example/orders"))
            .withSubject("order-42")
            .withTime(OffsetDateTime.of(2026, 11, 23, 12, 30, 0, 0, ZoneOffset.UTC))
            .withExtension("tenant", "acme")
            .withExtension("emptyext", "")
            .withExtension("priority", 5)
            .withExtension("urgent", true)
            .build();

    static Stream<Arguments> attributeFilters() {
        return Stream.of(
                Arguments.of("no filter matches everything", Map.of(), true),
                Arguments.of("exact type", Map.of("type", "com.acme.order.created"), true),
                Arguments.of(
                        "every entry must match (AND)",
                        Map.of("type", "com.acme.order.created", "tenant", "other"),
                        false),
                Arguments.of("case-sensitive value", Map.of("type", "com.acme.Order.created"), false),
                Arguments.of("source compares as text", Map.of("source", "https://acme.example/orders"), true),
                Arguments.of("extension", Map.of("tenant", "acme"), true),
                Arguments.of("integer extension as text", Map.of("priority", "5"), true),
                Arguments.of("boolean extension as text", Map.of("urgent", "true"), true),
                Arguments.of("missing extension fails", Map.of("region", "eu"), false),
                Arguments.of("empty value: present and non-empty", Map.of("tenant", ""), true),
                Arguments.of("empty value: missing attribute fails", Map.of("region", ""), false),
                Arguments.of("empty value: empty attribute fails", Map.of("emptyext", ""), false),
                Arguments.of("time as RFC 3339 text", Map.of("time", "2026-11-23T12:30:00Z"), true),
                Arguments.of("time compares as text, not instant", Map.of("time", "2026-11-23T13:30:00+01:00"), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attributeFilters")
    void shouldApplyKnativeAttributeFilters(String rule, Map<String, String> attributes, boolean matches) {
        CompiledFilter filter = FilterCompiler.compile(TriggerFilterSpec.attributes("t", attributes));

        assertThat(filter.test(EVENT)).as(rule).isEqualTo(matches);
        assertThat(filter.explain(EVENT).isEmpty())
                .as("explanation agrees: " + rule)
                .isEqualTo(matches);
    }

    static Stream<Arguments> subscriptionsApiFilters() {
        return Stream.of(
                Arguments.of("exact", exact("type", "com.acme.order.created"), true),
                Arguments.of("exact is case-sensitive", exact("type", "COM.acme.order.created"), false),
                Arguments.of("exact on a missing attribute", exact("region", "eu"), false),
                Arguments.of(
                        "exact, every entry",
                        new FilterSpec.Exact(Map.of("type", "com.acme.order.created", "subject", "order-1")),
                        false),
                Arguments.of("prefix", prefix("type", "com.acme."), true),
                Arguments.of("prefix is case-sensitive", prefix("type", "com.ACME."), false),
                Arguments.of("prefix on a missing attribute", prefix("region", "e"), false),
                Arguments.of("suffix", suffix("type", ".created"), true),
                Arguments.of("suffix mismatch", suffix("type", ".deleted"), false),
                Arguments.of("suffix on a missing attribute", suffix("region", "u"), false),
                Arguments.of("all", all(prefix("type", "com.acme."), exact("tenant", "acme")), true),
                Arguments.of("all fails on one", all(prefix("type", "com.acme."), exact("tenant", "other")), false),
                Arguments.of("any", any(exact("tenant", "other"), suffix("subject", "-42")), true),
                Arguments.of("any, none", any(exact("tenant", "other"), suffix("subject", "-43")), false),
                Arguments.of("not", not(exact("tenant", "other")), true),
                Arguments.of("not of a match", not(exact("tenant", "acme")), false),
                Arguments.of("not of a missing attribute matches", not(exact("region", "eu")), true),
                Arguments.of(
                        "nested not/any/all",
                        not(any(all(exact("tenant", "acme"), prefix("subject", "order-9")), exact("type", "x"))),
                        true),
                Arguments.of("double negation", not(not(prefix("source", "https://acme."))), true),
                Arguments.of("cesql", cesql("type LIKE 'com.acme.%' AND priority > 3"), true),
                Arguments.of("cesql false", cesql("priority > 10"), false),
                Arguments.of("cesql missing attribute is no match", cesql("region = 'eu'"), false),
                Arguments.of("not of an erroring cesql matches", not(cesql("region = 'eu'")), true),
                Arguments.of("cesql on a boolean extension", cesql("urgent"), true),
                Arguments.of("cesql cast error is no match", cesql("tenant"), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("subscriptionsApiFilters")
    void shouldApplySubscriptionsApiFilters(String rule, FilterSpec spec, boolean matches) {
        CompiledFilter filter = FilterCompiler.compile(TriggerFilterSpec.filters("t", spec));

        assertThat(filter.test(EVENT)).as(rule).isEqualTo(matches);
        assertThat(filter.explain(EVENT).isEmpty())
                .as("explanation agrees: " + rule)
                .isEqualTo(matches);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("subscriptionsApiFilters")
    void shouldIndexExactlyLikeEvaluation(String rule, FilterSpec spec, boolean matches) {
        TriggerIndex<String> index = new TriggerIndex<>();
        index.put("t", FilterCompiler.compile(TriggerFilterSpec.filters("t", spec)));

        assertThat(index.match(EVENT)).as(rule).isEqualTo(matches ? List.of("t") : List.of());
    }

    @org.junit.jupiter.api.Test
    void shouldLetFiltersReplaceTheAttributeFilter() {
        TriggerFilterSpec both =
                new TriggerFilterSpec("t", Map.of("type", "does.not.match"), List.of(prefix("type", "com.acme.")));

        assertThat(FilterCompiler.compile(both).test(EVENT)).isTrue();
    }

    @org.junit.jupiter.api.Test
    void shouldTreatTheFiltersListAsAnAnd() {
        TriggerFilterSpec spec = TriggerFilterSpec.filters("t", prefix("type", "com.acme."), exact("tenant", "other"));

        assertThat(FilterCompiler.compile(spec).test(EVENT)).isFalse();
    }

    @org.junit.jupiter.api.Test
    void shouldCountCesqlErrorsWithoutThrowing() {
        CompiledFilter filter =
                FilterCompiler.compile(TriggerFilterSpec.filters("t", cesql("region = 'eu' OR 1 / 0 = 1")));

        assertThat(filter.test(EVENT)).isFalse();
        assertThat(filter.test(EVENT)).isFalse();
        assertThat(filter.cesqlErrors()).isEqualTo(2);
    }
}
