package dev.switchboard.source.github;

import dev.switchboard.core.EventSource;
import dev.switchboard.core.EventTarget;
import io.cloudevents.CloudEvent;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Knative's GitHubSource as a webhook endpoint: verifies the signature, maps the delivery to a
 * CloudEvent and answers GitHub only once the target accepted it, so a delivery GitHub was told failed
 * is one it redelivers. The hook itself is created on GitHub by the user (the {@code accessToken} that
 * Knative uses to create it is accepted and not used).
 */
public final class GitHubWebhook implements EventSource {
    private static final Logger LOG = LoggerFactory.getLogger(GitHubWebhook.class);

    /** The HTTP answer to a delivery. */
    public record Answer(int status, String message) {}

    private final GitHubSpec spec;
    private final EventTarget target;
    private final LongAdder skipped = new LongAdder();

    public GitHubWebhook(GitHubSpec spec, EventTarget target) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.target = Objects.requireNonNull(target, "target");
    }

    @Override
    public String name() {
        return spec.namespace() + "/" + spec.name();
    }

    @Override
    public void start() {
        LOG.info("GitHub source {} receives {} deliveries at /sources/{}", name(), spec.ownerAndRepository(), name());
    }

    @Override
    public void close() {
        // Nothing runs in the background: deliveries arrive through the server's HTTP port.
    }

    /** Deliveries whose event type is not in {@code eventTypes}: answered 202, not published. */
    public long skipped() {
        return skipped.sum();
    }

    /**
     * Handles one delivery.
     *
     * @param header the request's headers, case-insensitive
     * @param body the raw body, exactly as received (the signature covers these bytes)
     */
    public CompletionStage<Answer> handle(Function<String, String> header, byte[] body) {
        if (spec.secretToken().isPresent()
                && !WebhookSignature.verify(
                        body,
                        spec.secretToken().get(),
                        header.apply("X-Hub-Signature-256"),
                        header.apply("X-Hub-Signature"))) {
            return CompletableFuture.completedFuture(new Answer(401, "missing or wrong webhook signature"));
        }
        String event = header.apply("X-GitHub-Event");
        String delivery = header.apply("X-GitHub-Delivery");
        if (event == null || event.isBlank() || !event.matches("[a-z_]+")) {
            return CompletableFuture.completedFuture(new Answer(400, "missing or invalid X-GitHub-Event header"));
        }
        if (delivery == null || delivery.isBlank()) {
            return CompletableFuture.completedFuture(new Answer(400, "missing X-GitHub-Delivery header"));
        }
        if (!spec.eventTypes().isEmpty() && !spec.eventTypes().contains(event)) {
            skipped.increment();
            return CompletableFuture.completedFuture(new Answer(202, "event type " + event + " is not subscribed"));
        }
        CloudEvent cloudEvent;
        try {
            cloudEvent = GitHubEvents.toCloudEvent(event, delivery, body, spec.ownerAndRepository());
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(new Answer(400, e.getMessage()));
        }
        CompletionStage<?> accepted;
        try {
            accepted = target.send(cloudEvent);
        } catch (RuntimeException e) {
            accepted = CompletableFuture.failedFuture(e);
        }
        return accepted.handle((ok, error) -> error == null
                ? new Answer(202, "")
                : new Answer(503, "not accepted, GitHub will redeliver: " + error.getMessage()));
    }
}
