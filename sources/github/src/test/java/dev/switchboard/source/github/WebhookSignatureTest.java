package dev.switchboard.source.github;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.switchboard.core.testing.SharedTestData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The HMAC vectors in shared/testdata/github-webhooks/hmac-vectors.yaml. */
class WebhookSignatureTest {
    private static JsonNode vectors() throws IOException {
        return new ObjectMapper(new YAMLFactory())
                .readTree(SharedTestData.resolve("github-webhooks/hmac-vectors.yaml")
                        .toFile());
    }

    static Stream<Arguments> octokitCases() throws IOException {
        List<Arguments> cases = new ArrayList<>();
        for (JsonNode c : vectors().path("octokit_webhooks_methods").path("cases")) {
            cases.add(Arguments.of(
                    c.path("secret").asText(),
                    c.path("payload").asText(),
                    c.path("signature").asText(),
                    c.path("valid").asBoolean()));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "secret {0}, signature {2}: {3}")
    @MethodSource("octokitCases")
    void shouldVerifySha256OverTheRawBytes(String secret, String payload, String signature, boolean valid) {
        assertThat(WebhookSignature.verify(payload.getBytes(StandardCharsets.UTF_8), secret, signature, null))
                .isEqualTo(valid);
    }

    @Test
    void shouldVerifyGitHubsDocumentedExampleAndTheLegacySha1OnlyWithoutSha256() throws IOException {
        JsonNode docs = vectors().path("github_docs");
        byte[] body = docs.path("payload").asText().getBytes(StandardCharsets.UTF_8);
        String secret = docs.path("secret").asText();
        String sha256 = docs.path("x_hub_signature_256").asText();
        String sha1 = docs.path("legacy_sha1_COMPUTED_BY_ME_not_in_docs").asText();

        assertThat(WebhookSignature.verify(body, secret, sha256, null)).isTrue();
        assertThat(WebhookSignature.verify(body, secret, null, sha1)).isTrue();
        // A wrong SHA-256 is not rescued by a right SHA-1.
        assertThat(WebhookSignature.verify(body, secret, "sha256=00", sha1)).isFalse();
        assertThat(WebhookSignature.verify(body, "other", sha256, null)).isFalse();
        assertThat(WebhookSignature.verify(body, secret, null, null)).isFalse();
    }
}
