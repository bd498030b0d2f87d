package dev.switchboard.trigger;

import static dev.switchboard.trigger.FilterSpec.all;
import static dev.switchboard.trigger.FilterSpec.any;
import static dev.switchboard.trigger.FilterSpec.cesql;
import static dev.switchboard.trigger.FilterSpec.exact;
import static dev.switchboard.trigger.FilterSpec.not;
import static dev.switchboard.trigger.FilterSpec.prefix;
import static dev.switchboard.trigger.FilterSpec.suffix;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExplainTest {
    private final TriggerIndex<String> index = new TriggerIndex<>();

    private void add(String name, FilterSpec... filters) {
        index.put(name, FilterCompiler.compile(TriggerFilterSpec.filters(name, filters)));
    }

    @Test
    void shouldNameTheFirstFailingClauseOfEachTrigger() {
        add("created", prefix("type", "com.acme.order."));
        add("other", prefix("type", "com.other."));
        add("eu", exact("region", "eu"));
        add("deleted", all(prefix("type", "com.acme."), suffix("type", ".deleted")));
        add("priority", cesql("priority > 10"));
        add("not-acme", not(exact("tenant", "acme")));
        add("either", any(exact("subject", "order-1"), exact("subject", "order-2")));
        index.put("legacy", FilterCompiler.compile(TriggerFilterSpec.attributes("legacy", Map.of("tenant", "acme"))));

        List<TriggerVerdict<String>> verdicts = index.explain(FilterSemanticsTest.EVENT);

        assertThat(verdicts)
                .extracting(TriggerVerdict::trigger)
                .containsExactly("created", "other", "eu", "deleted", "priority", "not-acme", "either", "legacy");
        assertThat(verdicts)
                .extracting(TriggerVerdict::reason)
                .containsExactly(
                        Optional.empty(),
                        Optional.of(
                                "spec.filters[0].prefix.type: \"com.acme.order.created\" does not start with \"com.other.\""),
                        Optional.of("spec.filters[0].exact.region: the event has no attribute \"region\""),
                        Optional.of(
                                "spec.filters[0].all[1].suffix.type: \"com.acme.order.created\" does not end with \".deleted\""),
                        Optional.of("spec.filters[0].cesql: \"priority > 10\" is false"),
                        Optional.of("spec.filters[0].not: the negated filter matched"),
                        Optional.of(
                                "spec.filters[0].any: no alternative matched (spec.filters[0].any[0].exact.subject: \"order-42\" is not \"order-1\"; spec.filters[0].any[1].exact.subject: \"order-42\" is not \"order-2\")"),
                        Optional.empty());
        assertThat(index.match(FilterSemanticsTest.EVENT)).containsExactlyInAnyOrder("created", "legacy");
    }

    @Test
    void shouldExplainACesqlError() {
        add("region", cesql("region = 'eu'"));

        assertThat(index.explain(FilterSemanticsTest.EVENT).get(0).reason())
                .contains(
                        "spec.filters[0].cesql: \"region = 'eu'\" failed with a missing_attribute error (counts as no match)");
    }
}
