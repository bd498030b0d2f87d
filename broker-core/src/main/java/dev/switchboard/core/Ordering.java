package dev.switchboard.core;

/** How a subscription's events are delivered relative to each other. */
public enum Ordering {
    /** Up to the subscription's in-flight limit at once; completions may come back in any order. */
    UNORDERED,
    /** One event at a time, in log order; a failing event holds back only its own subscription. */
    ORDERED
}
