package dev.switchboard.server.http;

import dev.switchboard.core.Broker;
import dev.switchboard.core.BrokerStats;
import dev.switchboard.core.StartPosition;
import dev.switchboard.core.StoredEvent;
import dev.switchboard.core.SubscriptionStats;
import dev.switchboard.server.ServerRuntime;
import io.cloudevents.CloudEvent;
import io.cloudevents.http.vertx.VertxMessageFactory;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * The admin API under {@code /admin} (JSON): brokers and triggers with status and lag, explain which
 * triggers an event matches and why the others do not, pause and resume a trigger, and replay it from
 * an offset or a time.
 */
public final class AdminRoutes {
    private final ServerRuntime runtime;

    public AdminRoutes(ServerRuntime runtime) {
        this.runtime = runtime;
    }

    public void mount(Router router, long maxBodyBytes) {
        router.get("/admin/brokers").handler(this::brokers);
        router.get("/admin/triggers").handler(this::triggers);
        router.get("/admin/sources").handler(ctx -> ok(ctx, new JsonArray(runtime.sourceStatuses())));
        router.post("/admin/triggers/:namespace/:name/pause")
                .handler(ctx -> withTrigger(ctx, t -> {
                    t.subscription().pause();
                    ok(ctx, trigger(t));
                }));
        router.post("/admin/triggers/:namespace/:name/resume")
                .handler(ctx -> withTrigger(ctx, t -> {
                    t.subscription().resume();
                    ok(ctx, trigger(t));
                }));
        router.post("/admin/triggers/:namespace/:name/replay").handler(this::replay);
        router.get("/admin/triggers/:namespace/:name/parked").handler(this::parked);
        router.post("/admin/triggers/:namespace/:name/redrive").handler(this::redrive);
        router.post("/admin/brokers/:namespace/:name/explain")
                .handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes))
                .handler(this::explain);
    }

    private void brokers(RoutingContext ctx) {
        JsonArray list = new JsonArray();
        runtime.brokers().forEach((key, broker) -> {
            BrokerStats stats = broker.stats();
            list.add(new JsonObject()
                    .put("name", key)
                    .put("startOffset", stats.startOffset())
                    .put("endOffset", stats.endOffset())
                    .put("retainedBytes", stats.retainedBytes())
                    .put("unconsumedBytes", stats.unconsumedBytes())
                    .put("deletedByRetention", stats.deletedByRetention())
                    .put("expiredUndelivered", stats.expiredUndelivered()));
        });
        ok(ctx, list);
    }

    private void triggers(RoutingContext ctx) {
        JsonArray list = new JsonArray();
        runtime.triggers().values().forEach(t -> list.add(trigger(t)));
        ok(ctx, list);
    }

    private static JsonObject trigger(ServerRuntime.RunningTrigger t) {
        SubscriptionStats stats = t.subscription().stats();
        return new JsonObject()
                .put("name", t.resource().key())
                .put("broker", t.resource().broker())
                .put("subscriber", t.resource().subscriber().toString())
                .put("ordering", t.resource().ordering().name().toLowerCase(java.util.Locale.ROOT))
                .put("paused", t.subscription().isPaused())
                .put("committedOffset", stats.committedOffset())
                .put("lag", stats.lag())
                .put("lagSeconds", stats.lagTime(System.currentTimeMillis()).toMillis() / 1000.0)
                .put("inFlight", stats.inFlight())
                .put("delivered", stats.delivered())
                .put("filtered", stats.filtered())
                .put("deadLettered", stats.deadLettered())
                .put("dropped", stats.dropped())
                .put("expired", stats.expired());
    }

    private void replay(RoutingContext ctx) {
        withTrigger(ctx, t -> {
            String offset = ctx.request().getParam("offset");
            String time = ctx.request().getParam("time");
            StartPosition position;
            try {
                if (offset != null) {
                    position = StartPosition.offset(Long.parseLong(offset));
                } else if (time != null) {
                    position = StartPosition.at(Instant.parse(time));
                } else {
                    Problem.send(ctx, 400, "bad request", "give ?offset=N or ?time=<RFC 3339 instant>");
                    return;
                }
            } catch (NumberFormatException | DateTimeParseException e) {
                Problem.send(ctx, 400, "bad request", "unreadable offset or time: " + e.getMessage());
                return;
            } catch (IllegalArgumentException e) {
                Problem.send(ctx, 400, "bad request", e.getMessage());
                return;
            }
            Broker broker = runtime.brokers().get(t.resource().broker());
            long start = broker.rewind(t.resource().key(), position);
            ok(ctx, trigger(t).put("replayFrom", start));
        });
    }

    private void parked(RoutingContext ctx) {
        String key = ctx.pathParam("namespace") + "/" + ctx.pathParam("name");
        runtime.parkedEvents(key)
                .ifPresentOrElse(
                        parked -> {
                            JsonArray events = new JsonArray();
                            for (StoredEvent stored : parked.list(1000)) {
                                CloudEvent event = stored.event();
                                events.add(new JsonObject()
                                        .put("offset", stored.offset())
                                        .put("parkedAt", stored.arrival().toString())
                                        .put("id", event.getId())
                                        .put("type", event.getType())
                                        .put("source", event.getSource().toString())
                                        .put("errorDestination", String.valueOf(event.getExtension("knativeerrordest")))
                                        .put("errorCode", String.valueOf(event.getExtension("knativeerrorcode")))
                                        .put(
                                                "errorData",
                                                event.getExtension("knativeerrordata") == null
                                                        ? null
                                                        : event.getExtension("knativeerrordata")
                                                                .toString()));
                            }
                            ok(
                                    ctx,
                                    new JsonObject()
                                            .put("trigger", key)
                                            .put("redriving", parked.redriving())
                                            .put("events", events));
                        },
                        () -> Problem.send(ctx, 404, "unknown trigger", "no trigger " + key));
    }

    private void redrive(RoutingContext ctx) {
        String key = ctx.pathParam("namespace") + "/" + ctx.pathParam("name");
        runtime.parkedEvents(key)
                .ifPresentOrElse(
                        parked -> ok(ctx, new JsonObject().put("trigger", key).put("redriving", parked.startRedrive())),
                        () -> Problem.send(ctx, 404, "unknown trigger", "no trigger " + key));
    }

    private void explain(RoutingContext ctx) {
        String key = ctx.pathParam("namespace") + "/" + ctx.pathParam("name");
        if (!runtime.brokers().containsKey(key)) {
            Problem.send(ctx, 404, "unknown broker", "no broker " + key);
            return;
        }
        CloudEvent event;
        try {
            event = VertxMessageFactory.createReader(
                            ctx.request().headers(), ctx.body().buffer())
                    .toEvent();
        } catch (RuntimeException e) {
            Problem.send(ctx, 400, "invalid event", String.valueOf(e.getMessage()));
            return;
        }
        JsonArray verdicts = new JsonArray();
        for (ServerRuntime.RunningTrigger t : runtime.triggers().values()) {
            if (t.resource().broker().equals(key)) {
                var reason = t.resource().filter().explain(event);
                JsonObject verdict =
                        new JsonObject().put("trigger", t.resource().key()).put("matches", reason.isEmpty());
                reason.ifPresent(r -> verdict.put("reason", r));
                verdicts.add(verdict);
            }
        }
        ok(ctx, new JsonObject().put("broker", key).put("event", event.getId()).put("triggers", verdicts));
    }

    private void withTrigger(RoutingContext ctx, java.util.function.Consumer<ServerRuntime.RunningTrigger> action) {
        String key = ctx.pathParam("namespace") + "/" + ctx.pathParam("name");
        Map<String, ServerRuntime.RunningTrigger> triggers = runtime.triggers();
        ServerRuntime.RunningTrigger trigger = triggers.get(key);
        if (trigger == null) {
            Problem.send(ctx, 404, "unknown trigger", "no trigger " + key);
            return;
        }
        action.accept(trigger);
    }

    private static void ok(RoutingContext ctx, Object body) {
        ctx.response()
                .putHeader("content-type", "application/json")
                .end(body instanceof JsonArray a ? a.encodePrettily() : ((JsonObject) body).encodePrettily());
    }
}
