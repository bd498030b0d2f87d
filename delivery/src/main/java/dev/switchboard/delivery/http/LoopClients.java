package dev.switchboard.delivery.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;

/**
 * One {@link HttpClient} (and so one connection pool) per event loop. Vert.x makes a pooled connection
 * on the loop that asked for it but hands an idle one to whichever loop asks next; a connection used
 * from another loop hands every answer across. With a pool per loop, attempts made on a loop only
 * ever use connections that live on it. Each pool keeps up to the options' pool size per host; a
 * client holds no connection until it is used.
 */
final class LoopClients implements AutoCloseable {
    private final HttpClient[] clients;

    LoopClients(Vertx vertx, HttpClientOptions options, int loops) {
        this.clients = new HttpClient[loops];
        for (int i = 0; i < loops; i++) {
            clients[i] = vertx.createHttpClient(new HttpClientOptions(options));
        }
    }

    /** The client of loop {@code index}. */
    HttpClient on(int index) {
        return clients[index];
    }

    @Override
    public void close() {
        for (HttpClient client : clients) {
            client.close();
        }
    }
}
