package dev.switchboard.delivery;

import dev.switchboard.core.CallerLoops;
import dev.switchboard.core.EventSink;
import io.cloudevents.CloudEvent;
import java.util.concurrent.CompletionStage;

/** Something that takes one attempt at delivering an event: an HTTP endpoint or an in-process handler. */
public interface DeliveryTarget {
    /**
     * One attempt. The stage completes with the answer; it completes exceptionally only for a bug in
     * the target, which counts as {@link AttemptResult.Failed}.
     */
    CompletionStage<AttemptResult> attempt(CloudEvent event);

    /** Where it delivers, for logs and the {@code knativeerrordest} extension. */
    String address();

    /** The event loops its answers arrive on, if any: see {@link EventSink#answerLoops()}. */
    default CallerLoops answerLoops() {
        return CallerLoops.NONE;
    }
}
