package dev.switchboard.core.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Test data from outside the project, in {@code ../shared/testdata/} next to the project root. The
 * build passes its location as the {@code switchboard.sharedTestData} system property; running a test
 * from an IDE falls back to looking upwards from the working directory.
 */
public final class SharedTestData {
    private SharedTestData() {}

    public static Path resolve(String relative) {
        String configured = System.getProperty("switchboard.sharedTestData");
        if (configured != null && Files.isDirectory(Path.of(configured))) {
            return Path.of(configured).resolve(relative);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("../shared/testdata").normalize();
            if (Files.isDirectory(candidate)) {
                return candidate.resolve(relative);
            }
        }
        throw new IllegalStateException("shared test data not found: set -Dswitchboard.sharedTestData");
    }
}
