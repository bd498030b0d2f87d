package dev.switchboard.server.cli;

import dev.switchboard.server.config.ConfigLoader;
import dev.switchboard.server.config.ConfigProblem;
import dev.switchboard.server.config.InvalidConfigException;
import dev.switchboard.server.config.LoadedConfig;
import dev.switchboard.server.config.TriggerResource;
import io.cloudevents.CloudEvent;
import io.cloudevents.jackson.JsonFormat;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code switchboard explain}: which triggers an event matches, and why each other one does not. */
@Command(
        name = "explain",
        mixinStandardHelpOptions = true,
        description = "Show which triggers an event (a structured-mode JSON file) matches and why the others do not.")
final class ExplainCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, description = "A YAML file or a directory of them.")
    Path config;

    @Option(names = "--event", required = true, description = "A CloudEvent in structured JSON.")
    Path event;

    @Option(names = "--broker", description = "Only this broker's triggers (namespace/name).")
    String broker;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        LoadedConfig loaded;
        try {
            loaded = ConfigLoader.load(config);
        } catch (InvalidConfigException e) {
            e.problems().stream().map(ConfigProblem::toString).forEach(out::println);
            return 1;
        }
        CloudEvent parsed;
        try {
            parsed = new JsonFormat().deserialize(Files.readAllBytes(event));
        } catch (RuntimeException e) {
            out.println(event + ": not a structured-mode CloudEvent: " + e.getMessage());
            return 1;
        }
        for (TriggerResource trigger : loaded.triggers()) {
            if (broker != null && !trigger.broker().equals(broker)) {
                continue;
            }
            Optional<String> reason = trigger.filter().explain(parsed);
            out.println(reason.map(r -> "no      " + trigger.key() + ": " + r).orElse("MATCHES " + trigger.key()));
        }
        return 0;
    }
}
