package dev.switchboard.delivery.http;

import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One {@link WebClient} (and so one connection pool) per event loop. Vert.x makes a pooled connection
 * on the loop that asked for it but hands an idle one to whichever loop asks next; a connection used
 * from another loop hands every answer across. With a pool per loop, attempts made on a loop only
 * ever use connections that live on it. Each pool keeps up to the options' pool size per host.
 */
final class LoopClients implements AutoCloseable {
    private final Vertx vertx;
    private final WebClientOptions options;
    private final AtomicReferenceArray<WebClient> clients;

    LoopClients(Vertx vertx, WebClientOptions options, int loops) {
        this.vertx = vertx;
        this.options = new WebClientOptions(options);
        this.clients = new AtomicReferenceArray<>(loops);
    }

    /** The client of loop {@code index}, made on first use. */
    WebClient on(int index) {
        WebClient client = clients.get(index);
        if (client == null) {
            synchronized (this) {
                client = clients.get(index);
                if (client == null) {
                    client = WebClient.create(vertx, new WebClientOptions(options));
                    clients.set(index, client);
                }
            }
        }
        return client;
    }

    @Override
    public synchronized void close() {
        for (int i = 0; i < clients.length(); i++) {
            WebClient client = clients.get(i);
            if (client != null) {
                client.close();
            }
        }
    }
}
