package dev.switchboard.core;

import io.cloudevents.CloudEvent;

/**
 * An in-process subscriber. Returning normally means delivered; throwing means not delivered, and the
 * event is delivered again after a backoff.
 */
@FunctionalInterface
public interface EventHandler {
    void handle(CloudEvent event) throws Exception;
}
