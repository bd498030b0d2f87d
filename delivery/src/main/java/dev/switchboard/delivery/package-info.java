/**
 * Delivery: sinks that take an event from a trigger to its subscriber over HTTP (binary or structured
 * mode) or in process, with Knative's DeliverySpec semantics (retries, backoff, per-attempt timeout,
 * Retry-After, dead-letter sink) and reply events.
 */
package dev.switchboard.delivery;
