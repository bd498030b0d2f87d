package dev.switchboard.server.http;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Error answers: a status and a JSON body naming the problem. */
public final class Problem {
    private Problem() {}

    static void send(RoutingContext ctx, int status, String error, String detail) {
        send(ctx.response(), status, error, detail);
    }

    /** A body over the server's limit, whether the router's body handler or the ingress found it. */
    public static void tooLarge(HttpServerResponse response, long maxBodyBytes) {
        send(response, 413, "payload too large", "the body is over the limit of " + maxBodyBytes + " bytes");
    }

    public static void send(HttpServerResponse response, int status, String error, String detail) {
        if (response.ended()) {
            return;
        }
        response.setStatusCode(status)
                .putHeader("content-type", "application/json")
                .end(new JsonObject().put("error", error).put("detail", detail).encode());
    }
}
