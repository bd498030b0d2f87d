package dev.switchboard.server.http;

import dev.switchboard.server.ServerRuntime;
import dev.switchboard.source.github.GitHubWebhook;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/** {@code POST /sources/{namespace}/{name}}: webhook sources (GitHub) on the server's port. */
public final class WebhookHandler implements Handler<RoutingContext> {
    private final ServerRuntime runtime;
    private final BooleanSupplier accepting;

    public WebhookHandler(ServerRuntime runtime, BooleanSupplier accepting) {
        this.runtime = runtime;
        this.accepting = accepting;
    }

    @Override
    public void handle(RoutingContext ctx) {
        String namespace = ctx.pathParam("namespace");
        String name = ctx.pathParam("name");
        if (!accepting.getAsBoolean()) {
            ctx.response().putHeader("Retry-After", "1");
            Problem.send(ctx, 503, "unavailable", "the server is starting or shutting down");
            return;
        }
        Optional<GitHubWebhook> webhook = runtime.webhook(namespace, name);
        if (webhook.isEmpty()) {
            Problem.send(ctx, 404, "unknown source", "no webhook source " + namespace + "/" + name);
            return;
        }
        byte[] body =
                ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
        Future.fromCompletionStage(
                        webhook.get().handle(ctx.request()::getHeader, body),
                        ctx.vertx().getOrCreateContext())
                .onComplete(result -> {
                    GitHubWebhook.Answer answer = result.succeeded()
                            ? result.result()
                            : new GitHubWebhook.Answer(503, String.valueOf(result.cause()));
                    if (answer.status() == 202) {
                        ctx.response().setStatusCode(202).end();
                    } else {
                        ctx.response()
                                .setStatusCode(answer.status())
                                .putHeader("content-type", "application/json")
                                .end(new JsonObject()
                                        .put("error", "webhook refused")
                                        .put("detail", answer.message())
                                        .encode());
                    }
                });
    }
}
