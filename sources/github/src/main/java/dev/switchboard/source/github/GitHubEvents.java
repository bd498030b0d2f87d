package dev.switchboard.source.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Maps a GitHub webhook delivery to a CloudEvent as Knative's GitHubSource does: type {@code
 * dev.knative.source.github.<X-GitHub-Event>}, id {@code X-GitHub-Delivery}, source {@code
 * https://github.com/<owner>/<repo>}, a per-event subject, and the payload exactly as sent. Unlike
 * Knative's source, every event type is accepted ({@code workflow_run}, {@code workflow_job}, {@code
 * star} included); for event types without a rule the subject is the payload's {@code id} if any.
 */
public final class GitHubEvents {
    public static final String TYPE_PREFIX = "dev.knative.source.github.";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The subject rule of each event type (eventing-github's pkg/common/events.go, and ours). */
    private static final Map<String, Function<JsonNode, String>> SUBJECTS = Map.ofEntries(
            Map.entry("check_run", p -> text(p, "check_run", "id")),
            Map.entry("check_suite", p -> text(p, "check_suite", "id")),
            Map.entry("commit_comment", p -> lastPathPortion(text(p, "comment", "html_url"))),
            Map.entry("create", p -> text(p, "ref_type")),
            Map.entry("delete", p -> text(p, "ref_type")),
            Map.entry("deployment", p -> text(p, "deployment", "id")),
            Map.entry("deployment_status", p -> text(p, "deployment", "id")),
            Map.entry("fork", p -> text(p, "forkee", "id")),
            Map.entry("gollum", p -> text(p.path("pages").path(0), "page_name")),
            Map.entry("installation", p -> text(p, "installation", "id")),
            Map.entry("installation_repositories", p -> text(p, "installation", "id")),
            Map.entry("issue_comment", p -> lastPathPortion(text(p, "comment", "html_url"))),
            Map.entry("issues", p -> text(p, "issue", "number")),
            Map.entry("label", p -> text(p, "label", "name")),
            Map.entry("member", p -> text(p, "member", "id")),
            Map.entry("membership", p -> text(p, "member", "id")),
            Map.entry("milestone", p -> text(p, "milestone", "number")),
            Map.entry("organization", p -> text(p, "action")),
            Map.entry("org_block", p -> text(p, "action")),
            Map.entry("page_build", p -> text(p, "id")),
            Map.entry("ping", p -> text(p, "hook_id")),
            Map.entry("project", p -> text(p, "action")),
            Map.entry("project_card", p -> text(p, "action")),
            Map.entry("project_column", p -> text(p, "action")),
            Map.entry("public", p -> text(p, "repository", "id")),
            Map.entry("pull_request", p -> text(p, "number")),
            Map.entry("pull_request_review", p -> text(p, "review", "id")),
            Map.entry("pull_request_review_comment", p -> text(p, "comment", "id")),
            Map.entry("push", p -> lastPathPortion(text(p, "compare"))),
            Map.entry("release", p -> text(p, "release", "tag_name")),
            Map.entry("repository", p -> text(p, "repository", "id")),
            Map.entry("repository_vulnerability_alert", p -> text(p, "alert", "id")),
            Map.entry("security_advisory", p -> text(p, "security_advisory", "ghsa_id")),
            Map.entry("status", p -> text(p, "sha")),
            Map.entry("team", p -> text(p, "team", "id")),
            Map.entry("team_add", p -> text(p, "repository", "id")),
            Map.entry("watch", p -> text(p, "repository", "id")),
            Map.entry("star", p -> text(p, "repository", "id")),
            Map.entry("workflow_run", p -> text(p, "workflow_run", "id")),
            Map.entry("workflow_job", p -> text(p, "workflow_job", "id")));

    private GitHubEvents() {}

    /**
     * The CloudEvent for one delivery.
     *
     * @throws IllegalArgumentException if the body is not a JSON object
     */
    public static CloudEvent toCloudEvent(String event, String delivery, byte[] body, String ownerAndRepository) {
        JsonNode payload;
        try {
            payload = JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "the payload is not JSON: "
                            + e.getMessage().lines().findFirst().orElse(""),
                    e);
        }
        if (payload == null || !payload.isObject()) {
            throw new IllegalArgumentException("the payload is not a JSON object");
        }
        CloudEventBuilder builder = CloudEventBuilder.v1()
                .withId(delivery)
                .withType(TYPE_PREFIX + event)
                .withSource(URI.create("https://github.com/" + ownerAndRepository))
                .withData("application/json", body);
        subject(event, payload).ifPresent(builder::withSubject);
        extension(builder, "owner", text(payload.path("repository").path("owner"), "login"));
        extension(builder, "repository", text(payload, "repository", "name"));
        extension(builder, "sender", text(payload, "sender", "login"));
        extension(builder, "action", text(payload, "action"));
        return builder.build();
    }

    static Optional<String> subject(String event, JsonNode payload) {
        Function<JsonNode, String> rule = SUBJECTS.getOrDefault(event, p -> text(p, "id"));
        return Optional.ofNullable(rule.apply(payload)).filter(s -> !s.isEmpty());
    }

    private static void extension(CloudEventBuilder builder, String name, String value) {
        if (value != null && !value.isEmpty()) {
            builder.withExtension(name, value);
        }
    }

    private static String text(JsonNode node, String... path) {
        JsonNode current = node;
        for (String field : path) {
            current = current.path(field);
        }
        return current.isValueNode() && !current.isNull() ? current.asText() : null;
    }

    private static String lastPathPortion(String url) {
        if (url == null) {
            return null;
        }
        int slash = url.lastIndexOf('/');
        return slash < 0 ? url : url.substring(slash + 1);
    }
}
