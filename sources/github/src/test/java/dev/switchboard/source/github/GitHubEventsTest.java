package dev.switchboard.source.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.testing.SharedTestData;
import io.cloudevents.CloudEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every payload of the shared GitHub webhook samples, against the subjects in their index. */
class GitHubEventsTest {
    private static final Path SAMPLES = SharedTestData.resolve("github-webhooks");
    /** Event types Knative's source rejects; the subject is our rule's, checked against the payload. */
    private static final Map<String, String> OURS = Map.of(
            "star/created.payload.json", "186853002",
            "workflow_job/queued.payload.json", "289782451",
            "workflow_run/completed.payload.json", "289782451",
            "workflow_run/completed.with-pull-requests.payload.json", "289782451",
            "workflow_run/requested.payload.json", "289782451");

    static Stream<Arguments> payloads() throws IOException {
        List<Arguments> rows = new ArrayList<>();
        for (String line : Files.readAllLines(SAMPLES.resolve("INDEX.md"))) {
            if (!line.startsWith("| ") || line.startsWith("| file") || line.startsWith("|---")) {
                continue;
            }
            String[] cells = line.split("\\|", -1);
            String file = cells[1].strip();
            String subject = OURS.getOrDefault(file, cells[4].strip());
            rows.add(Arguments.of(
                    file,
                    cells[2].strip(),
                    cells[3].strip(),
                    subject,
                    cells[5].strip(),
                    cells[6].strip(),
                    cells[7].strip()));
        }
        return rows.stream();
    }

    @Test
    void shouldCoverEveryEventInTheSamples() throws IOException {
        assertThat(payloads()).hasSizeGreaterThanOrEqualTo(60);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("payloads")
    void shouldMapEveryPayloadAsKnativesGitHubSource(
            String file, String event, String action, String subject, String owner, String repository, String sender)
            throws IOException {
        byte[] body = Files.readAllBytes(SAMPLES.resolve(file));

        CloudEvent mapped = GitHubEvents.toCloudEvent(event, "delivery-1", body, "Codertocat/Hello-World");

        assertThat(mapped.getType()).isEqualTo("dev.knative.source.github." + event);
        assertThat(mapped.getId()).isEqualTo("delivery-1");
        assertThat(mapped.getSource()).hasToString("https://github.com/Codertocat/Hello-World");
        assertThat(mapped.getSubject()).isEqualTo(subject);
        assertThat(mapped.getData().toBytes()).isEqualTo(body);
        assertThat(mapped.getDataContentType()).isEqualTo("application/json");
        assertThat(mapped.getExtension("action")).isEqualTo(action.isEmpty() ? null : action);
        assertThat(mapped.getExtension("owner")).isEqualTo(owner.isEmpty() ? null : owner);
        assertThat(mapped.getExtension("repository")).isEqualTo(repository.isEmpty() ? null : repository);
        assertThat(mapped.getExtension("sender")).isEqualTo(sender.isEmpty() ? null : sender);
    }

    @Test
    void shouldRefuseAPayloadThatIsNotAJsonObject() {
        assertThatThrownBy(() -> GitHubEvents.toCloudEvent("push", "d", "{not json".getBytes(), "a/b"))
                .hasMessageContaining("not JSON");
        assertThatThrownBy(() -> GitHubEvents.toCloudEvent("push", "d", "[1]".getBytes(), "a/b"))
                .hasMessageContaining("not a JSON object");
    }
}
