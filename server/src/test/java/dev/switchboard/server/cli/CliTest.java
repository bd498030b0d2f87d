package dev.switchboard.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CliTest {
    @TempDir
    Path dir;

    private record Run(int exit, String out) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString());
    }

    private void writeConfig() throws Exception {
        Files.writeString(dir.resolve("all.yaml"), """
                apiVersion: eventing.knative.dev/v1
                kind: Broker
                metadata:
                  name: default
                ---
                apiVersion: eventing.knative.dev/v1
                kind: Trigger
                metadata:
                  name: orders
                spec:
                  broker: default
                  filters:
                    - prefix:
                        type: com.example.order.
                  subscriber:
                    uri: http://127.0.0.1:9/
                ---
                apiVersion: eventing.knative.dev/v1
                kind: Trigger
                metadata:
                  name: users
                spec:
                  broker: default
                  filter:
                    attributes:
                      type: com.example.user.created
                  subscriber:
                    uri: http://127.0.0.1:9/
                """);
    }

    @Test
    void shouldValidateAndPrintEveryProblemAsFileLineField() throws Exception {
        writeConfig();
        assertThat(run("validate", dir.toString())).isEqualTo(new Run(0, dir + ": 1 broker(s), 2 trigger(s): valid\n"));

        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, """
                apiVersion: eventing.knative.dev/v1
                kind: Trigger
                metadata:
                  name: broken
                spec:
                  broker: nowhere
                  subscriber:
                    uri: http://127.0.0.1:9/
                  delivery:
                    backoffDelay: soon
                """);
        Run invalid = run("validate", dir.toString());
        assertThat(invalid.exit()).isEqualTo(1);
        assertThat(invalid.out().lines())
                .containsExactlyInAnyOrder(
                        bad
                                + ":10: spec.delivery.backoffDelay: must be an ISO-8601 duration such as PT0.5S or PT1M, found \"soon\"",
                        bad + ":6: spec.broker: names broker default/nowhere, which is not defined");
    }

    @Test
    void shouldExplainWhichTriggersAnEventMatches() throws Exception {
        writeConfig();
        Path event = dir.resolve("event.json");
        Files.writeString(event, """
                {"specversion": "1.0", "id": "1", "source": "/shop", "type": "com.example.order.created"}
                """);

        Run explained = run("explain", "--config", dir.resolve("all.yaml").toString(), "--event", event.toString());

        assertThat(explained.exit()).isZero();
        assertThat(explained.out().lines())
                .containsExactly(
                        "MATCHES default/orders",
                        "no      default/users: spec.filter.attributes.type: \"com.example.order.created\" is not \"com.example.user.created\"");
    }

    @Test
    void shouldSendOneBinaryModeEvent() throws Exception {
        Vertx vertx = Vertx.vertx();
        List<String> received = new CopyOnWriteArrayList<>();
        HttpServer server = vertx.createHttpServer()
                .requestHandler(request -> request.body().onSuccess(body -> {
                    received.add(request.getHeader("ce-type") + " " + request.getHeader("ce-id") + " " + body);
                    request.response().setStatusCode(202).end();
                }))
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        try {
            Run sent = run(
                    "send",
                    "--url",
                    "http://127.0.0.1:" + server.actualPort() + "/default/default",
                    "--type",
                    "com.example.ping",
                    "--source",
                    "/cli",
                    "--id",
                    "cli-1",
                    "--data",
                    "{\"hello\":1}");

            assertThat(sent).isEqualTo(new Run(0, "202 cli-1\n"));
            assertThat(received).containsExactly("com.example.ping cli-1 {\"hello\":1}");
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
