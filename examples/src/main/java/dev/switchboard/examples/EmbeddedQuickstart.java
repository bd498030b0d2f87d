package dev.switchboard.examples;

import dev.switchboard.core.Broker;
import dev.switchboard.core.EventFilter;
import dev.switchboard.core.Ordering;
import dev.switchboard.core.StartPosition;
import dev.switchboard.core.Subscription;
import dev.switchboard.core.SubscriptionSpec;
import dev.switchboard.core.Switchboard;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Switchboard as an embedded library: a durable broker in {@code ./data}, two in-process subscribers
 * with different filters, and a few published events. Run it twice: the second run shows the events
 * of both runs still in the log, while each subscriber only receives what it has not seen yet.
 *
 * <pre>mvn -q -pl examples -am install -DskipTests &amp;&amp; mvn -q -pl examples exec:java</pre>
 */
public final class EmbeddedQuickstart {
    private EmbeddedQuickstart() {}

    public static void main(String[] args) throws InterruptedException {
        Path dataDir = Path.of(args.length > 0 ? args[0] : "data");
        int count = 5;
        CountDownLatch allOrders = new CountDownLatch(count);
        try (Switchboard sb = Switchboard.builder().dataDir(dataDir).build()) {
            Broker broker = sb.broker("default");
            // Every order event, one at a time in log order; resumes where it stopped on the next run.
            Subscription audit = sb.subscribe(
                    "default",
                    SubscriptionSpec.of("audit", sb.handlerSink(event -> {
                                System.out.printf("audit    <- %s %s%n", event.getType(), text(event));
                                allOrders.countDown();
                            }))
                            .withFilter(event -> event.getType().startsWith("com.example.order."))
                            .withOrdering(Ordering.ORDERED)
                            .withStart(StartPosition.earliest()));
            // Only large orders, in parallel.
            sb.subscribe(
                    "default",
                    "big-orders",
                    bigOrders(),
                    event -> System.out.printf("big-orders <- %s%n", text(event)));

            for (int i = 1; i <= count; i++) {
                CloudEvent event = CloudEventBuilder.v1()
                        .withId(UUID.randomUUID().toString())
                        .withType("com.example.order.created")
                        .withSource(URI.create("/examples/quickstart"))
                        .withExtension("amount", i * 100)
                        .withDataContentType("application/json")
                        .withData(
                                ("{\"order\":" + i + ",\"amount\":" + (i * 100) + "}").getBytes(StandardCharsets.UTF_8))
                        .build();
                long offset = broker.publish(event).toCompletableFuture().join(); // durable on return
                System.out.printf("published order %d at offset %d%n", i, offset);
            }
            allOrders.await(10, TimeUnit.SECONDS);
            System.out.printf(
                    "log holds offsets [%d, %d); audit cursor at %d%n",
                    broker.stats().startOffset(),
                    broker.stats().endOffset(),
                    audit.stats().committedOffset());
        }
    }

    private static EventFilter bigOrders() {
        return event -> event.getExtension("amount") instanceof Integer amount && amount >= 300;
    }

    private static String text(CloudEvent event) {
        return event.getData() == null ? "" : new String(event.getData().toBytes(), StandardCharsets.UTF_8);
    }
}
