package dev.switchboard.server.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code switchboard send}: posts one binary-mode CloudEvent, a smoke test for a broker or a sink. */
@Command(name = "send", mixinStandardHelpOptions = true, description = "Post one CloudEvent (binary mode).")
final class SendCommand implements Callable<Integer> {
    @Option(names = "--url", required = true, description = "Where to post, e.g. http://localhost:8080/default/default")
    URI url;

    @Option(names = "--type", required = true, description = "The event type.")
    String type;

    @Option(names = "--source", required = true, description = "The event source.")
    String source;

    @Option(names = "--data", description = "A JSON payload.")
    String data;

    @Option(names = "--id", description = "The event id (default: a random UUID).")
    String id;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        String eventId = id != null ? id : UUID.randomUUID().toString();
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(Duration.ofSeconds(30))
                .header("ce-specversion", "1.0")
                .header("ce-id", eventId)
                .header("ce-type", type)
                .header("ce-source", source);
        if (data != null) {
            request.header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(data));
        } else {
            request.POST(HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response =
                HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        spec.commandLine()
                .getOut()
                .printf(
                        "%d %s%s%n",
                        response.statusCode(), eventId, response.body().isEmpty() ? "" : " " + response.body());
        return response.statusCode() / 100 == 2 ? 0 : 1;
    }
}
