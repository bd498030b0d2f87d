package dev.switchboard.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretResolverTest {
    @TempDir
    Path secrets;

    @Test
    void shouldReadFromTheEnvironmentFirstThenFromMountedFiles() throws Exception {
        Files.createDirectories(secrets.resolve("github-secret"));
        Files.writeString(secrets.resolve("github-secret/secretToken"), "from-file\n");
        Files.createDirectories(secrets.resolve("mns"));
        Files.writeString(secrets.resolve("mns/accessKeySecret"), "file-only");
        SecretResolver resolver = new SecretResolver(
                Map.of("SWITCHBOARD_SECRET_GITHUB_SECRET_SECRETTOKEN", "from-env")::get, Optional.of(secrets));

        assertThat(resolver.resolve("github-secret", "secretToken")).contains("from-env");
        assertThat(resolver.resolve("mns", "accessKeySecret")).contains("file-only");
        assertThat(resolver.resolve("mns", "missing")).isEmpty();
        assertThat(resolver.resolve("..", "passwd")).isEmpty();
        assertThat(resolver.describe("mns", "missing"))
                .isEqualTo("SWITCHBOARD_SECRET_MNS_MISSING or " + secrets.resolve("mns/missing"));
    }
}
