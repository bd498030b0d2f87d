package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The runnable jar as a user runs it: {@code java -jar switchboard.jar serve}, then SIGTERM. */
@Timeout(120)
class JarIT {
    @TempDir
    Path dir;

    @Test
    void shouldServeFromTheJarAndShutDownCleanlyOnSigterm() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        HttpServer sink = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        sink.createContext("/", exchange -> {
            received.add(exchange.getRequestHeaders().getFirst("ce-id"));
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        });
        sink.start();
        Path config = Files.createDirectory(dir.resolve("config"));
        Files.writeString(config.resolve("resources.yaml"), """
                apiVersion: eventing.knative.dev/v1
                kind: Broker
                metadata:
                  name: default
                ---
                apiVersion: eventing.knative.dev/v1
                kind: Trigger
                metadata:
                  name: all
                spec:
                  broker: default
                  subscriber:
                    uri: http://127.0.0.1:%d/
                """.formatted(
                        sink.getAddress().getPort()));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process server = new ProcessBuilder(
                        java,
                        "-Xmx256m",
                        "-jar",
                        System.getProperty("switchboard.jar"),
                        "serve",
                        "--config",
                        config.toString(),
                        "--data-dir",
                        dir.resolve("data").toString(),
                        "--port",
                        "0")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            int port = -1;
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("Switchboard listening on port ")) {
                    port = Integer.parseInt(line.substring("Switchboard listening on port ".length())
                            .split(" ")[0]);
                    break;
                }
            }
            assertThat(port).isPositive();

            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/default/default"))
                                    .header("ce-specversion", "1.0")
                                    .header("ce-id", "from-jar")
                                    .header("ce-type", "jar.test")
                                    .header("ce-source", "/it")
                                    .POST(HttpRequest.BodyPublishers.noBody())
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(202);
            await().untilAsserted(() -> assertThat(received).containsExactly("from-jar"));

            server.destroy(); // SIGTERM: the shutdown hook drains and closes the store
            assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(server.exitValue()).isIn(0, 143);
            assertThat(dir.resolve("data").resolve("CURRENT")).exists();
        } finally {
            server.destroyForcibly();
            sink.stop(0);
        }
    }
}
