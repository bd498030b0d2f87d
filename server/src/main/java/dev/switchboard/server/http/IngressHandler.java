package dev.switchboard.server.http;

import dev.switchboard.core.Broker;
import dev.switchboard.core.BrokerException;
import dev.switchboard.core.PublishGroup;
import dev.switchboard.delivery.BrokerTtl;
import dev.switchboard.delivery.http.EventLoops;
import dev.switchboard.server.ServerRuntime;
import io.cloudevents.CloudEvent;
import io.cloudevents.SpecVersion;
import io.cloudevents.core.CloudEventUtils;
import io.cloudevents.core.message.Encoding;
import io.cloudevents.core.message.MessageReader;
import io.cloudevents.http.vertx.VertxMessageFactory;
import io.cloudevents.jackson.JsonFormat;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;

/**
 * {@code POST /{namespace}/{broker}}: Knative's multi-tenant broker ingress. Binary, structured and
 * batch content modes through the CloudEvents SDK; {@code 202} only once the event is durable; every
 * refusal gets a status and a JSON body naming the problem. A batch is all-or-nothing.
 *
 * <p>Requests reach it from {@link IngressRequests}, without the router, or from the router's route
 * for paths that need its decoding ({@link #route()}).
 */
public final class IngressHandler {
    private final ServerRuntime runtime;
    private final BooleanSupplier accepting;
    private final EventLoops loops;
    private final JsonFormat json = new JsonFormat();
    /** One per event loop thread: a group belongs to one thread. */
    private final ThreadLocal<PublishGroup> publishGroups = new ThreadLocal<>();

    /**
     * @param loops where each request counts as work in flight on its event loop until it is answered:
     *     a loop serving many does not also take on the passes its writes signal
     */
    public IngressHandler(ServerRuntime runtime, BooleanSupplier accepting, EventLoops loops) {
        this.runtime = runtime;
        this.accepting = accepting;
        this.loops = loops;
    }

    /** The handler for the router's {@code /:namespace/:broker} route, behind its body handler. */
    public Handler<RoutingContext> route() {
        return ctx -> handle(ctx.request(), ctx.body().buffer(), ctx.pathParam("namespace"), ctx.pathParam("broker"));
    }

    /** Answers one request whose whole body has been read ({@code null}: none). */
    public void handle(HttpServerRequest request, Buffer body, String namespace, String name) {
        HttpServerResponse response = request.response();
        String key = namespace + "/" + name;
        if (!accepting.getAsBoolean()) {
            response.putHeader("Retry-After", "1");
            reject(response, key, 503, "unavailable", "the server is starting or shutting down");
            return;
        }
        Optional<Broker> broker = runtime.broker(namespace, name);
        if (broker.isEmpty()) {
            reject(response, key, 404, "unknown broker", "no broker " + key);
            return;
        }
        List<CloudEvent> events;
        try {
            events = parse(request.headers(), body);
        } catch (UnsupportedMode e) {
            reject(response, key, 415, "unsupported media type", e.getMessage());
            return;
        } catch (InvalidEvent e) {
            reject(response, key, 400, "invalid event", e.getMessage());
            return;
        }
        Context context = Vertx.currentContext();
        int loop = loops.startHere();
        CompletionStage<Long> published;
        try {
            published = broker.get().publishAll(events, publishGroup(context));
        } catch (RuntimeException e) {
            loops.done(loop);
            throw e;
        }
        Future.fromCompletionStage(published, context).onComplete(result -> {
            loops.done(loop);
            if (result.succeeded()) {
                runtime.metrics().ingress(key, "accepted", "", events.size());
                response.setStatusCode(202).end();
                return;
            }
            Throwable cause = result.cause();
            BrokerException.Kind kind = cause instanceof BrokerException e ? e.kind() : BrokerException.Kind.STORAGE;
            switch (kind) {
                case BUFFER_FULL -> {
                    response.putHeader("Retry-After", "1");
                    reject(response, key, 429, "too many requests", cause.getMessage());
                }
                case CLOSED -> {
                    response.putHeader("Retry-After", "1");
                    reject(response, key, 503, "unavailable", cause.getMessage());
                }
                case INVALID_EVENT -> reject(response, key, 400, "invalid event", cause.getMessage());
                default -> reject(response, key, 500, "not stored", String.valueOf(cause.getMessage()));
            }
        });
    }

    /**
     * This event loop's publish group: the events of all the requests it reads in one turn are written
     * together, by the loop, at the end of the turn, and answered there (no hand-off to the store's
     * writer thread and back).
     */
    private PublishGroup publishGroup(Context context) {
        PublishGroup group = publishGroups.get();
        if (group == null) {
            group = runtime.publishGroup(task -> context.runOnContext(ignored -> task.run()));
            publishGroups.set(group);
        }
        return group;
    }

    private void reject(HttpServerResponse response, String broker, int status, String error, String detail) {
        runtime.metrics().ingress(broker, "rejected", error.replace(' ', '_'), 1);
        Problem.send(response, status, error, detail);
    }

    private List<CloudEvent> parse(MultiMap headers, Buffer body) {
        String contentType =
                Optional.ofNullable(headers.get("content-type")).orElse("").toLowerCase(Locale.ROOT);
        List<CloudEvent> events = new ArrayList<>();
        if (contentType.startsWith("application/cloudevents-batch+json")) {
            JsonArray array;
            try {
                array = new JsonArray(body == null ? Buffer.buffer() : body);
            } catch (DecodeException | ClassCastException e) {
                throw new InvalidEvent("a batch must be a JSON array of events: " + e.getMessage());
            }
            if (array.isEmpty()) {
                throw new InvalidEvent("the batch is empty");
            }
            for (int i = 0; i < array.size(); i++) {
                Object element = array.getValue(i);
                if (!(element instanceof io.vertx.core.json.JsonObject object)) {
                    throw new InvalidEvent("batch element " + i + " is not a JSON object");
                }
                CloudEvent event;
                try {
                    event = CloudEventUtils.toReader(
                                    json.deserialize(object.toBuffer().getBytes()))
                            .read(StampingWriter::create);
                } catch (RuntimeException e) {
                    throw new InvalidEvent("batch element " + i + ": " + rootMessage(e));
                }
                events.add(check(event, "batch element " + i + ": "));
            }
            return events;
        }
        boolean structured = contentType.startsWith("application/cloudevents");
        boolean binary = hasCloudEventHeader(headers);
        if (!structured && !binary) {
            throw new UnsupportedMode("not a CloudEvent: no ce-* headers and content-type \"" + contentType
                    + "\" is neither application/cloudevents+json nor application/cloudevents-batch+json");
        }
        if (structured && !contentType.startsWith("application/cloudevents+json")) {
            throw new UnsupportedMode("unsupported structured format \"" + contentType + "\"");
        }
        CloudEvent event;
        try {
            MessageReader reader = VertxMessageFactory.createReader(headers, body);
            // A binary message is read straight into the stamping writer; a structured one only as a
            // whole event, which is then copied through it.
            event = reader.getEncoding() == Encoding.BINARY
                    ? reader.read(StampingWriter::create)
                    : CloudEventUtils.toReader(reader.toEvent()).read(StampingWriter::create);
        } catch (RuntimeException e) {
            // The SDK's readers throw CloudEventRWException, EventDeserializationException or Jackson's
            // exceptions for a malformed event: all of them are the client's problem.
            throw new InvalidEvent(rootMessage(e));
        }
        events.add(check(event, ""));
        return events;
    }

    /** Binary mode: any {@code ce-} header (matched without copying every header name). */
    private static boolean hasCloudEventHeader(MultiMap headers) {
        for (Map.Entry<String, String> header : headers) {
            if (header.getKey().regionMatches(true, 0, "ce-", 0, 3)) {
                return true;
            }
        }
        return false;
    }

    /** The CloudEvents naming rule for extensions: 1-20 lower-case ASCII letters or digits. */
    private static boolean isExtensionName(String name) {
        if (name.isEmpty() || name.length() > 20) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9')) {
                return false;
            }
        }
        return true;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.toString() : root.getMessage();
        return message.lines().findFirst().orElse(message);
    }

    /** Checks what the SDK lets through; the event was stamped as it was read ({@link StampingWriter}). */
    private static CloudEvent check(CloudEvent event, String where) {
        if (event.getSpecVersion() != SpecVersion.V1) {
            throw new InvalidEvent(where + "specversion must be 1.0, found " + event.getSpecVersion());
        }
        if (event.getId() == null || event.getId().isEmpty()) {
            throw new InvalidEvent(where + "id must not be empty");
        }
        if (event.getType() == null || event.getType().isEmpty()) {
            throw new InvalidEvent(where + "type must not be empty");
        }
        if (event.getSource() == null || event.getSource().toString().isEmpty()) {
            throw new InvalidEvent(where + "source must not be empty");
        }
        for (String extension : event.getExtensionNames()) {
            if (!isExtensionName(extension)) {
                throw new InvalidEvent(
                        where + "extension name \"" + extension + "\" must be 1-20 lower-case letters or digits");
            }
        }
        int ttl = BrokerTtl.of(event);
        if (ttl <= 0) {
            throw new InvalidEvent(where + BrokerTtl.EXTENSION + " is " + ttl + ": the event has looped too often");
        }
        return event;
    }

    private static final class InvalidEvent extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InvalidEvent(String message) {
            super(message, null, false, false);
        }
    }

    private static final class UnsupportedMode extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnsupportedMode(String message) {
            super(message, null, false, false);
        }
    }
}
