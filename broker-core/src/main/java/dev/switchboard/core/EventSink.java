package dev.switchboard.core;

import io.cloudevents.CloudEvent;
import java.util.concurrent.CompletionStage;

/**
 * Where a subscription delivers its events.
 *
 * <p>The returned stage completes with the event's outcome once the sink is done with it. A {@link
 * DeliveryOutcome#isFinal() final} outcome lets the subscription's cursor pass the event. A {@link
 * DeliveryOutcome.Retry} outcome, an exceptionally completed stage, or an exception thrown by {@code
 * deliver} itself means "not delivered": the dispatcher delivers the event again after a backoff, and
 * the cursor does not pass it until it is final, so a crash in between redelivers it.
 */
@FunctionalInterface
public interface EventSink {
    CompletionStage<DeliveryOutcome> deliver(CloudEvent event);

    /**
     * The event loops this sink's answers arrive on, if any. The pass that an answer signals then runs on
     * the answering loop, busy or not, where the sink's next attempts go anyway, instead of waking a
     * dispatch thread; such a pass calls only this sink. By default none (an in-process sink may block,
     * and must not be called on a busy loop): its answers signal passes as the log's appends do. When the
     * sink keeps to one of those loops, it says which ({@link CallerLoops#home()}).
     */
    default CallerLoops answerLoops() {
        return CallerLoops.NONE;
    }
}
