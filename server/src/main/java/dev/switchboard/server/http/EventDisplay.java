package dev.switchboard.server.http;

import io.cloudevents.CloudEvent;
import io.cloudevents.http.vertx.VertxMessageFactory;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /_display}: a built-in subscriber that logs every event it receives, like Knative's
 * {@code event-display} service, so the quickstart runs without a second process.
 */
public final class EventDisplay implements Handler<RoutingContext> {
    private static final Logger LOG = LoggerFactory.getLogger("event-display");

    @Override
    public void handle(RoutingContext ctx) {
        CloudEvent event;
        try {
            event = VertxMessageFactory.createReader(
                            ctx.request().headers(), ctx.body().buffer())
                    .toEvent();
        } catch (RuntimeException e) {
            Problem.send(ctx, 400, "invalid event", String.valueOf(e.getMessage()));
            return;
        }
        String data = event.getData() == null ? "" : new String(event.getData().toBytes(), StandardCharsets.UTF_8);
        LOG.info(
                "{} from {} (id {}){}",
                event.getType(),
                event.getSource(),
                event.getId(),
                data.isEmpty() ? "" : ": " + data);
        ctx.response().setStatusCode(202).end();
    }
}
