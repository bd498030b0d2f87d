package dev.switchboard.server.cli;

import dev.switchboard.server.SwitchboardServer;
import dev.switchboard.server.config.ConfigLoader;
import dev.switchboard.server.config.ConfigProblem;
import dev.switchboard.server.config.InvalidConfigException;
import dev.switchboard.server.config.LoadedConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code java -jar switchboard.jar serve|validate ...} */
@Command(
        name = "switchboard",
        mixinStandardHelpOptions = true,
        description = "A CloudEvents broker and trigger router: Knative's Broker and Trigger without Kubernetes.",
        subcommands = {Main.Serve.class, Main.Validate.class, SendCommand.class, ExplainCommand.class})
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line, for {@code main} and for tests that capture its output. */
    public static CommandLine commandLine() {
        return new CommandLine(new Main());
    }

    @Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the server on the embedded store.")
    static final class Serve implements Callable<Integer> {
        @Option(names = "--config", required = true, description = "A YAML file or a directory of them.")
        Path config;

        @Option(
                names = "--data-dir",
                defaultValue = "data",
                description = "Where events are stored (default: ${DEFAULT-VALUE}).")
        Path dataDir;

        @Option(
                names = "--port",
                defaultValue = "8080",
                description = "HTTP port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
        int port;

        @Override
        public Integer call() throws Exception {
            SwitchboardServer server;
            try {
                server = SwitchboardServer.start(new SwitchboardServer.Options(config, dataDir, port));
            } catch (InvalidConfigException e) {
                e.problems().forEach(p -> System.err.println(p));
                return 1;
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                try {
                                    server.close();
                                } catch (Exception e) {
                                    System.err.println("shutdown: " + e);
                                } finally {
                                    stopped.countDown();
                                }
                            },
                            "switchboard-shutdown"));
            System.out.println("Switchboard listening on port " + server.port() + " (data in " + dataDir + ")");
            System.out.flush();
            stopped.await();
            return 0;
        }
    }

    @Command(name = "validate", mixinStandardHelpOptions = true, description = "Check YAML without starting anything.")
    static final class Validate implements Callable<Integer> {
        @Parameters(index = "0", description = "A YAML file or a directory of them.")
        Path path;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            java.io.PrintWriter out = spec.commandLine().getOut();
            try {
                LoadedConfig config = ConfigLoader.load(path);
                for (ConfigProblem warning : config.warnings()) {
                    out.println("warning: " + warning);
                }
                out.printf(
                        "%s: %d broker(s), %d trigger(s): valid%n",
                        path, config.brokers().size(), config.triggers().size());
                return 0;
            } catch (InvalidConfigException e) {
                for (ConfigProblem problem : e.problems()) {
                    out.println(problem);
                }
                return 1;
            }
        }
    }
}
