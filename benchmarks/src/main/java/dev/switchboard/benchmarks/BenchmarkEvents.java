package dev.switchboard.benchmarks;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;

/** The events every benchmark uses: about 1 KiB, as in the end-to-end scenarios. */
final class BenchmarkEvents {
    private BenchmarkEvents() {}

    /** A 1 KiB binary payload with typical attributes. */
    static CloudEvent binary1k() {
        byte[] data = new byte[1024];
        Arrays.fill(data, (byte) 'x');
        return base().withDataContentType("application/octet-stream")
                .withData(data)
                .build();
    }

    /** A 1 KiB JSON payload, the common case for HTTP sources. */
    static CloudEvent json1k() {
        StringBuilder json = new StringBuilder("{\"items\":[");
        for (int i = 0; json.length() < 1000; i++) {
            json.append(i == 0 ? "" : ",")
                    .append("{\"sku\":\"item-")
                    .append(i)
                    .append("\",\"qty\":")
                    .append(i)
                    .append('}');
        }
        json.append("]}");
        return base().withDataContentType("application/json")
                .withData(json.toString().getBytes(StandardCharsets.UTF_8))
                .build();
    }

    private static CloudEventBuilder base() {
        return CloudEventBuilder.v1()
                .withId("5b3c8f2e-3f7a-4c1e-9a55-0c9d2b8e7f10")
                .withType("com.example.order.created")
                .withSource(URI.create("/benchmarks/orders"))
                .withSubject("order-42")
                .withTime(OffsetDateTime.of(2026, 11, 23, 12, 0, 0, 0, ZoneOffset.UTC))
                .withExtension("tenant", "acme");
    }
}
