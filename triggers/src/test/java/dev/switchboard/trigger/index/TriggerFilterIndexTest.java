package dev.switchboard.trigger.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.FilterIndex;
import dev.switchboard.trigger.FilterCompiler;
import dev.switchboard.trigger.FilterSpec;
import dev.switchboard.trigger.TriggerFilterIndex;
import dev.switchboard.trigger.TriggerFilterSpec;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class TriggerFilterIndexTest {

    private static CloudEvent event(String type) {
        return CloudEventBuilder.v1()
                .withId("1")
                .withType(type)
                .withSource(URI.create("/orders"))
                .build();
    }

    private static List<String> matches(FilterIndex<String> index, CloudEvent event) {
        List<String> found = new ArrayList<>();
        index.match(event, found::add);
        return found;
    }

    @Test
    void shouldBeTheIndexEveryBrokerLoads() {
        assertThat(ServiceLoader.load(FilterIndex.Factory.class).findFirst())
                .get()
                .isInstanceOf(TriggerFilterIndex.Factory.class);
    }

    @Test
    void shouldFindCompiledFiltersByAnchorAndAskPlainOnesEveryTime() {
        FilterIndex<String> index = new TriggerFilterIndex.Factory().create();
        index.put(
                "paid",
                FilterCompiler.compile(
                        TriggerFilterSpec.filters("paid", FilterSpec.exact("type", "com.acme.order.paid"))));
        index.put(
                "orders",
                FilterCompiler.compile(
                        TriggerFilterSpec.filters("orders", FilterSpec.prefix("type", "com.acme.order."))));
        index.put("lambda", event -> event.getType().endsWith(".paid"));
        index.put(
                "gone",
                FilterCompiler.compile(
                        TriggerFilterSpec.filters("gone", FilterSpec.exact("type", "com.acme.order.paid"))));
        index.remove("gone");

        assertThat(matches(index, event("com.acme.order.paid"))).containsExactlyInAnyOrder("paid", "orders", "lambda");
        assertThat(matches(index, event("com.acme.order.created"))).containsExactly("orders");
        assertThat(matches(index, event("io.other.paid"))).containsExactly("lambda");

        // A filter replaced under the same key is filed anew.
        index.put("lambda", event -> false);
        assertThat(matches(index, event("io.other.paid"))).isEmpty();
    }
}
