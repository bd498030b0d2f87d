package dev.switchboard.source.github;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudevents.CloudEvent;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class GitHubWebhookTest {
    private static final byte[] BODY = "{\"action\":\"opened\",\"number\":2}".getBytes(StandardCharsets.UTF_8);

    private final List<CloudEvent> published = new CopyOnWriteArrayList<>();

    private GitHubWebhook webhook(Optional<String> secret, boolean accepting) {
        return new GitHubWebhook(
                new GitHubSpec("default", "repo", "Codertocat/Hello-World", Set.of("pull_request", "ping"), secret),
                event -> {
                    if (!accepting) {
                        return CompletableFuture.failedFuture(new IllegalStateException("buffer full"));
                    }
                    published.add(event);
                    return CompletableFuture.completedFuture(null);
                });
    }

    private static Map<String, String> headers(String event, String signature) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.put("X-GitHub-Event", event);
        headers.put("X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958");
        if (signature != null) {
            headers.put("X-Hub-Signature-256", signature);
        }
        return headers;
    }

    private static String sign(String secret) {
        return "sha256=" + HexFormat.of().formatHex(WebhookSignature.hmac("HmacSHA256", secret, BODY));
    }

    private GitHubWebhook.Answer answer(GitHubWebhook webhook, Map<String, String> headers, byte[] body) {
        return webhook.handle(headers::get, body).toCompletableFuture().join();
    }

    @Test
    void shouldPublishASignedDeliveryAndAnswer202() {
        GitHubWebhook webhook = webhook(Optional.of("s3cret"), true);

        assertThat(answer(webhook, headers("pull_request", sign("s3cret")), BODY)
                        .status())
                .isEqualTo(202);
        assertThat(published).singleElement().satisfies(e -> {
            assertThat(e.getType()).isEqualTo("dev.knative.source.github.pull_request");
            assertThat(e.getSubject()).isEqualTo("2");
            assertThat(e.getId()).isEqualTo("72d3162e-cc78-11e3-81ab-4c9367dc0958");
        });
    }

    @Test
    void shouldAnswer401AndPublishNothingForAMissingOrWrongSignature() {
        GitHubWebhook webhook = webhook(Optional.of("s3cret"), true);

        assertThat(answer(webhook, headers("pull_request", null), BODY).status())
                .isEqualTo(401);
        assertThat(answer(webhook, headers("pull_request", sign("other")), BODY).status())
                .isEqualTo(401);
        assertThat(published).isEmpty();
    }

    @Test
    void shouldSkipUnsubscribedTypesAndRefuseBadInput() {
        GitHubWebhook webhook = webhook(Optional.empty(), true);

        assertThat(answer(webhook, headers("issues", null), BODY).status()).isEqualTo(202);
        assertThat(webhook.skipped()).isEqualTo(1);
        assertThat(answer(webhook, headers("pull_request", null), "{oops".getBytes(StandardCharsets.UTF_8))
                        .status())
                .isEqualTo(400);
        Map<String, String> noEvent = headers("pull_request", null);
        noEvent.remove("X-GitHub-Event");
        assertThat(answer(webhook, noEvent, BODY).status()).isEqualTo(400);
        assertThat(published).isEmpty();
    }

    @Test
    void shouldAnswer503WhenTheBrokerCannotAcceptSoGitHubRedelivers() {
        assertThat(answer(webhook(Optional.empty(), false), headers("ping", null), BODY)
                        .status())
                .isEqualTo(503);
    }
}
