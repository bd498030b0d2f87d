package dev.switchboard.trigger;

import java.util.List;
import java.util.stream.Collectors;

/** A trigger's filter was refused at load time; {@link #problems()} names every offending field. */
public final class InvalidFilterException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String trigger;
    private final transient List<FilterProblem> problems;

    public InvalidFilterException(String trigger, List<FilterProblem> problems) {
        super("trigger '" + trigger + "' has an invalid filter: "
                + problems.stream().map(FilterProblem::toString).collect(Collectors.joining("; ")));
        this.trigger = trigger;
        this.problems = List.copyOf(problems);
    }

    public String trigger() {
        return trigger;
    }

    public List<FilterProblem> problems() {
        return problems;
    }
}
