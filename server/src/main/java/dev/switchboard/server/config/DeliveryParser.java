package dev.switchboard.server.config;

import dev.switchboard.delivery.BackoffPolicy;
import dev.switchboard.delivery.DeliverySpec;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads a Knative {@code DeliverySpec} and the Alibaba Cloud delivery annotations. */
final class DeliveryParser {
    static final String RETRY_COUNT = "k8s.aliyun.com/retry-count";
    static final String RETRY_INTERVAL = "k8s.aliyun.com/retry-interval";
    static final String REQUEST_TIMEOUT = "k8s.aliyun.com/req-timeout";

    private static final Set<String> FIELDS = Set.of(
            "retry",
            "backoffPolicy",
            "backoffDelay",
            "timeout",
            "retryAfterMax",
            "deadLetterSink",
            "backoffMax",
            "maxEventAge",
            "format");

    private DeliveryParser() {}

    /** {@code spec.delivery} with the annotations applied on top; empty when neither is there. */
    static Optional<DeliverySpec> parse(
            Fields spec, Fields metadata, Map<String, String> annotations, AddressBook addresses, String namespace) {
        Optional<Fields> delivery = spec.mapping("delivery");
        boolean annotated = annotations.containsKey(RETRY_COUNT)
                || annotations.containsKey(RETRY_INTERVAL)
                || annotations.containsKey(REQUEST_TIMEOUT);
        if (delivery.isEmpty() && !annotated) {
            return Optional.empty();
        }
        DeliverySpec result = DeliverySpec.defaults();
        if (delivery.isPresent()) {
            result = fromFields(delivery.get(), addresses, namespace, result);
        }
        return Optional.of(annotate(result, annotations, metadata));
    }

    private static DeliverySpec fromFields(Fields d, AddressBook addresses, String namespace, DeliverySpec base) {
        d.rejectUnknown(FIELDS);
        DeliverySpec spec = base;
        Optional<Integer> retry = d.integer("retry");
        if (retry.isPresent()) {
            if (retry.get() < 0) {
                d.error("retry", "must not be negative, found " + retry.get());
            } else {
                spec = spec.withRetry(retry.get());
            }
        }
        BackoffPolicy policy = spec.backoffPolicy();
        Optional<String> policyText = d.string("backoffPolicy");
        if (policyText.isPresent()) {
            switch (policyText.get()) {
                case "linear" -> policy = BackoffPolicy.LINEAR;
                case "exponential" -> policy = BackoffPolicy.EXPONENTIAL;
                default ->
                    d.error("backoffPolicy", "must be linear or exponential, found \"" + policyText.get() + "\"");
            }
        }
        spec = spec.withBackoff(policy, d.duration("backoffDelay").orElse(spec.backoffDelay()));
        Optional<Duration> timeout = d.duration("timeout");
        if (timeout.isPresent()) {
            if (timeout.get().isZero()) {
                d.error("timeout", "must be positive");
            } else {
                spec = spec.withTimeout(timeout.get());
            }
        }
        Optional<Duration> retryAfterMax = d.duration("retryAfterMax");
        if (retryAfterMax.isPresent()) {
            spec = spec.withRetryAfterMax(retryAfterMax.get());
        }
        Optional<Duration> backoffMax = d.duration("backoffMax");
        if (backoffMax.isPresent()) {
            spec = spec.withBackoffMax(backoffMax.get());
        }
        Optional<Duration> maxEventAge = d.duration("maxEventAge");
        if (maxEventAge.isPresent()) {
            if (maxEventAge.get().isZero()) {
                d.error("maxEventAge", "must be positive");
            } else {
                spec = spec.withMaxEventAge(maxEventAge.get());
            }
        }
        Optional<URI> deadLetters = d.mapping("deadLetterSink").flatMap(sink -> addresses.destination(sink, namespace));
        if (deadLetters.isPresent()) {
            spec = spec.withDeadLetterSink(deadLetters.get());
        }
        d.string("format").ifPresent(format -> {
            if (!format.equals("json") && !format.equals("binary")) {
                d.error("format", "must be json or binary, found \"" + format + "\"");
            }
        });
        return spec;
    }

    /** Whether {@code spec.delivery.format} asks for structured JSON. */
    static boolean structured(Fields spec) {
        return spec.mapping("delivery")
                .flatMap(d -> d.string("format"))
                .map(f -> f.toLowerCase(Locale.ROOT).equals("json"))
                .orElse(false);
    }

    private static DeliverySpec annotate(DeliverySpec spec, Map<String, String> annotations, Fields metadata) {
        DeliverySpec result = spec;
        Optional<Integer> count = seconds(annotations, RETRY_COUNT, metadata);
        if (count.isPresent()) {
            result = result.withRetry(count.get());
        }
        Optional<Integer> interval = seconds(annotations, RETRY_INTERVAL, metadata);
        if (interval.isPresent()) {
            // A fixed interval between retries: linear growth capped at the interval itself.
            Duration every = Duration.ofSeconds(interval.get());
            result = result.withBackoff(BackoffPolicy.LINEAR, every).withBackoffMax(every);
        }
        Optional<Integer> timeout = seconds(annotations, REQUEST_TIMEOUT, metadata);
        if (timeout.isPresent() && timeout.get() > 0) {
            result = result.withTimeout(Duration.ofSeconds(timeout.get()));
        }
        return result;
    }

    private static Optional<Integer> seconds(Map<String, String> annotations, String key, Fields metadata) {
        String text = annotations.get(key);
        if (text == null) {
            return Optional.empty();
        }
        try {
            int value = Integer.parseInt(text.trim());
            if (value < 0) {
                throw new NumberFormatException();
            }
            return Optional.of(value);
        } catch (NumberFormatException e) {
            metadata.mapping("annotations")
                    .ifPresent(a -> a.error(key, "must be a non-negative integer, found \"" + text + "\""));
            return Optional.empty();
        }
    }
}
