package dev.switchboard.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example directory loads without errors, alone when it has its own {@code switchboard.yaml},
 * else on top of the quickstart (its broker and address table), with every secret given: the YAML
 * shown to users stays valid.
 */
class ExamplesTest {
    /** Tests run in the module's directory. */
    private static final Path EXAMPLES = Path.of("..", "examples");

    @TempDir
    Path dir;

    static Stream<String> examples() throws IOException {
        try (Stream<Path> dirs = Files.list(EXAMPLES)) {
            return dirs
                    .filter(d -> hasYaml(d) && !d.getFileName().toString().equals("quickstart"))
                    .map(d -> d.getFileName().toString())
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    @ParameterizedTest
    @MethodSource("examples")
    void shouldLoad(String example) throws IOException {
        // An example with its own settings file runs alone; the others run on top of the quickstart.
        if (!Files.exists(EXAMPLES.resolve(example).resolve("switchboard.yaml"))) {
            copyYaml(EXAMPLES.resolve("quickstart"));
        }
        copyYaml(EXAMPLES.resolve(example));

        LoadedConfig config = ConfigLoader.load(dir, name -> name.startsWith("SWITCHBOARD_SECRET_") ? "secret" : null);

        assertThat(config.sources()).isNotEmpty();
    }

    private void copyYaml(Path from) throws IOException {
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                String name = file.getFileName().toString();
                // The settings file keeps its name; resources get their directory's as a prefix.
                Files.copy(file, dir.resolve(name.equals("switchboard.yaml") ? name : from.getFileName() + "-" + name));
            }
        }
    }

    private static boolean hasYaml(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> f.toString().endsWith(".yaml"));
        } catch (IOException e) {
            return false;
        }
    }
}
