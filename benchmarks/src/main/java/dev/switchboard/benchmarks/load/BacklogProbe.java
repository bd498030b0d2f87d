package dev.switchboard.benchmarks.load;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Samples a server's backlog (its brokers' undelivered bytes, from {@code GET /admin/brokers}) twice a
 * second while a run is measured, to show whether it settles or keeps growing.
 */
final class BacklogProbe implements AutoCloseable {
    private final List<Long> samples = new ArrayList<>();
    private final Thread thread;

    BacklogProbe(int port) {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/admin/brokers"))
                .timeout(Duration.ofSeconds(2))
                .build();
        thread = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    String body = http.send(request, HttpResponse.BodyHandlers.ofString())
                            .body();
                    long bytes = 0;
                    for (Object broker : new JsonArray(body)) {
                        bytes += ((JsonObject) broker).getLong("unconsumedBytes");
                    }
                    synchronized (samples) {
                        samples.add(bytes);
                    }
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    System.out.println("backlog probe: " + e);
                    return;
                }
            }
        });
        thread.setDaemon(true);
        thread.start();
    }

    /** The samples so far, in MiB, as "first half max / second half max / last". */
    String summary() {
        List<Long> copy;
        synchronized (samples) {
            copy = List.copyOf(samples);
        }
        if (copy.isEmpty()) {
            return "no samples";
        }
        int half = copy.size() / 2;
        return String.format(
                "max %.1f MiB in the first half, %.1f MiB in the second, %.1f MiB at the end (%d samples)",
                mib(copy.subList(0, Math.max(1, half)).stream()
                        .mapToLong(Long::longValue)
                        .max()
                        .orElse(0)),
                mib(copy.subList(half, copy.size()).stream()
                        .mapToLong(Long::longValue)
                        .max()
                        .orElse(0)),
                mib(copy.get(copy.size() - 1)),
                copy.size());
    }

    private static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    @Override
    public void close() throws InterruptedException {
        thread.interrupt();
        thread.join();
    }
}
