package dev.switchboard.trigger.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.trigger.CompiledFilter;
import dev.switchboard.trigger.FilterCompiler;
import dev.switchboard.trigger.FilterSpec;
import dev.switchboard.trigger.TriggerFilterSpec;
import dev.switchboard.trigger.TriggerIndex;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The index must return exactly what evaluating every filter returns, for any mix of filters. */
class TriggerIndexTest {
    private static final String[] TYPES = {
        "com.acme.order.created", "com.acme.order.paid", "com.acme.user.new", "io.other.x"
    };
    private static final String[] SOURCES = {"/orders", "/users", "/billing/eu", "/billing/us"};
    private static final String[] TENANTS = {"acme", "globex", "initech"};

    private final Random random = new Random(20261123);

    @Test
    void shouldMatchExactlyWhatALinearScanMatches() {
        TriggerIndex<String> index = new TriggerIndex<>();
        Map<String, CompiledFilter> all = new LinkedHashMap<>();
        for (int i = 0; i < 2000; i++) {
            String name = "t" + i;
            CompiledFilter filter = FilterCompiler.compile(TriggerFilterSpec.filters(name, randomFilter(2)));
            all.put(name, filter);
            index.put(name, filter);
        }
        // Remove and replace some, to exercise updates.
        for (int i = 0; i < 2000; i += 7) {
            index.remove("t" + i);
            all.remove("t" + i);
        }
        for (int i = 3; i < 2000; i += 11) {
            CompiledFilter filter = FilterCompiler.compile(TriggerFilterSpec.filters("t" + i, randomFilter(2)));
            all.remove("t" + i);
            all.put("t" + i, filter);
            index.put("t" + i, filter);
        }
        assertThat(index.size()).isEqualTo(all.size());
        assertThat(index.unindexedSize()).isLessThan(all.size() / 2);

        for (int e = 0; e < 500; e++) {
            CloudEvent event = randomEvent(e);
            List<String> expected = new ArrayList<>();
            all.forEach((name, filter) -> {
                if (filter.test(event)) {
                    expected.add(name);
                }
            });
            assertThat(index.match(event)).as("event %s", event).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    @Test
    void shouldForgetARemovedTrigger() {
        TriggerIndex<String> index = new TriggerIndex<>();
        CompiledFilter filter =
                FilterCompiler.compile(TriggerFilterSpec.filters("a", FilterSpec.exact("type", TYPES[0])));
        index.put("a", filter);
        index.put("b", filter);
        index.remove("a");

        assertThat(index.match(randomEventOfType(TYPES[0]))).containsExactly("b");
    }

    private FilterSpec randomFilter(int depth) {
        int kind = random.nextInt(depth > 0 ? 9 : 5);
        return switch (kind) {
            case 0, 1 -> FilterSpec.exact("type", pick(TYPES));
            case 2 ->
                FilterSpec.prefix(
                        random.nextBoolean() ? "type" : "source", random.nextBoolean() ? "com.acme." : "/billing/");
            case 3 -> FilterSpec.suffix("type", random.nextBoolean() ? ".created" : ".new");
            case 4 ->
                random.nextBoolean()
                        ? FilterSpec.exact("tenant", pick(TENANTS))
                        : FilterSpec.cesql("tenant = '" + pick(TENANTS) + "' AND EXISTS subject");
            case 5 -> FilterSpec.all(randomFilter(depth - 1), randomFilter(depth - 1));
            case 6 -> FilterSpec.any(randomFilter(depth - 1), randomFilter(depth - 1));
            case 7 -> FilterSpec.not(randomFilter(depth - 1));
            default -> new FilterSpec.Exact(Map.of("type", pick(TYPES), "source", pick(SOURCES)));
        };
    }

    private CloudEvent randomEvent(int n) {
        CloudEventBuilder builder =
                CloudEventBuilder.v1().withId("e" + n).withType(pick(TYPES)).withSource(URI.create(pick(SOURCES)));
        if (random.nextBoolean()) {
            builder.withSubject("s" + n);
        }
        if (random.nextInt(4) > 0) {
            builder.withExtension("tenant", pick(TENANTS));
        }
        return builder.build();
    }

    private static CloudEvent randomEventOfType(String type) {
        return CloudEventBuilder.v1()
                .withId("x")
                .withType(type)
                .withSource(URI.create("/x"))
                .build();
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }
}
