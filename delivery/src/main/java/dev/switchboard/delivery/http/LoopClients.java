package dev.switchboard.delivery.http;

import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/**
 * One {@link WebClient} (and so one connection pool) per event loop. Vert.x makes a pooled connection
 * on the loop that asked for it but hands an idle one to whichever loop asks next; a connection used
 * from another loop hands every answer across. With a pool per loop, attempts made on a loop only
 * ever use connections that live on it. Each pool keeps up to the options' pool size per host; a
 * client holds no connection until it is used.
 */
final class LoopClients implements AutoCloseable {
    private final WebClient[] clients;

    LoopClients(Vertx vertx, WebClientOptions options, int loops) {
        this.clients = new WebClient[loops];
        for (int i = 0; i < loops; i++) {
            clients[i] = WebClient.create(vertx, new WebClientOptions(options));
        }
    }

    /** The client of loop {@code index}. */
    WebClient on(int index) {
        return clients[index];
    }

    @Override
    public void close() {
        for (WebClient client : clients) {
            client.close();
        }
    }
}
