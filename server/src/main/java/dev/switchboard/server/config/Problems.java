package dev.switchboard.server.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Collects errors and warnings while loading, so a user sees all of them at once. */
final class Problems {
    final List<ConfigProblem> errors = new ArrayList<>();
    final List<ConfigProblem> warnings = new ArrayList<>();

    void error(Path file, int line, String field, String message) {
        errors.add(new ConfigProblem(file, line, field, message));
    }

    void warn(Path file, int line, String field, String message) {
        warnings.add(new ConfigProblem(file, line, field, message));
    }
}
