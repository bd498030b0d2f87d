package dev.switchboard.benchmarks;

import dev.switchboard.trigger.CompiledFilter;
import dev.switchboard.trigger.FilterCompiler;
import dev.switchboard.trigger.FilterSpec;
import dev.switchboard.trigger.TriggerFilterSpec;
import dev.switchboard.trigger.TriggerIndex;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Finding the triggers an event matches among 10,000: the index against a linear scan over the same
 * compiled filters, in the same run; and the cost of evaluating one compiled filter.
 *
 * <p>The triggers: 70% exact {@code type}, 10% exact {@code type}+{@code source}, 10% {@code prefix}
 * on {@code type}, 10% CESQL. Each event matches about 0.9% of them. With {@code cesql=anchored} the
 * CESQL filters start with a {@code type = '...'} conjunct (the index files them by it); with {@code
 * cesql=opaque} they do not, and every one is evaluated for every event.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class TriggerMatchBenchmark {
    private static final int TRIGGERS = 10_000;
    private static final int TYPES = 100;
    private static final int SOURCES = 10;

    @Param({"anchored", "opaque"})
    public String cesql;

    private TriggerIndex<String> index;
    private List<CompiledFilter> filters;
    private CloudEvent[] events;
    private int next;

    private CompiledFilter exactFilter;
    private CompiledFilter prefixFilter;
    private CompiledFilter cesqlFilter;
    private CompiledFilter attributesFilter;

    @Setup(Level.Trial)
    public void setUp() {
        index = new TriggerIndex<>();
        filters = new ArrayList<>();
        for (int k = 0; k < TRIGGERS; k++) {
            String name = "trigger-" + k;
            CompiledFilter filter = FilterCompiler.compile(TriggerFilterSpec.filters(name, filter(k)));
            index.put(name, filter);
            filters.add(filter);
        }
        events = new CloudEvent[TYPES * SOURCES];
        for (int i = 0; i < events.length; i++) {
            events[i] = CloudEventBuilder.v1()
                    .withId("e" + i)
                    .withType(type(i % TYPES))
                    .withSource(URI.create(source(i % SOURCES)))
                    .withSubject("subject-" + i)
                    .withExtension("priority", i % 10)
                    .build();
        }
        long matches = 0;
        for (CloudEvent event : events) {
            matches += index.match(event).size();
        }
        System.out.printf(
                "%n[triggers] %d triggers, %d evaluated for every event, %.2f%% matching on average%n",
                index.size(), index.unindexedSize(), 100.0 * matches / events.length / TRIGGERS);

        CloudEvent sample = events[0];
        exactFilter =
                FilterCompiler.compile(TriggerFilterSpec.filters("one", FilterSpec.exact("type", sample.getType())));
        prefixFilter =
                FilterCompiler.compile(TriggerFilterSpec.filters("one", FilterSpec.prefix("type", "com.bench.")));
        cesqlFilter = FilterCompiler.compile(
                TriggerFilterSpec.filters("one", FilterSpec.cesql("type = '" + sample.getType() + "'")));
        attributesFilter = FilterCompiler.compile(TriggerFilterSpec.attributes(
                "one",
                Map.of("type", sample.getType(), "source", sample.getSource().toString())));
    }

    private FilterSpec filter(int k) {
        int type = k % TYPES;
        int bucket = (k / TYPES) % 10;
        if (bucket < 7) {
            return FilterSpec.exact("type", type(type));
        }
        if (bucket == 7) {
            return new FilterSpec.Exact(Map.of("type", type(type), "source", source(k % SOURCES)));
        }
        if (bucket == 8) {
            return FilterSpec.prefix("type", "com.bench.type" + type + ".");
        }
        return cesql.equals("anchored")
                ? FilterSpec.cesql("type = '" + type(type) + "' AND priority >= " + (k % 10))
                : FilterSpec.cesql("priority >= " + (k % 10) + " AND source LIKE '%/" + (k % SOURCES) + "'");
    }

    private static String type(int n) {
        return "com.bench.type" + n + ".v1";
    }

    private static String source(int n) {
        return "/bench/source/" + n;
    }

    private CloudEvent nextEvent() {
        CloudEvent event = events[next];
        next = next + 1 == events.length ? 0 : next + 1;
        return event;
    }

    @Benchmark
    public List<String> indexMatch() {
        return index.match(nextEvent());
    }

    @Benchmark
    public List<CompiledFilter> linearScan() {
        CloudEvent event = nextEvent();
        List<CompiledFilter> matched = new ArrayList<>();
        for (CompiledFilter filter : filters) {
            if (filter.test(event)) {
                matched.add(filter);
            }
        }
        return matched;
    }

    @Benchmark
    public boolean oneExactFilter() {
        return exactFilter.test(events[0]);
    }

    @Benchmark
    public boolean onePrefixFilter() {
        return prefixFilter.test(events[0]);
    }

    @Benchmark
    public boolean oneAttributesFilterOfTwo() {
        return attributesFilter.test(events[0]);
    }

    @Benchmark
    public boolean oneCesqlFilter() {
        return cesqlFilter.test(events[0]);
    }
}
