package dev.switchboard.core;

/**
 * Publishes that the publishing thread writes to the store itself, together, at the end of its turn:
 * for a thread that runs an event loop and publishes the events of many requests in one turn, such as
 * the server's HTTP ingress. Get one per event loop from {@link Switchboard#publishGroup} and pass it
 * to {@link Broker#publishAll(java.util.List, PublishGroup)}.
 *
 * <p>A publish without a group goes to the store's writer thread, which writes whatever has queued up
 * and completes the publishers' stages there; each publish then costs a hand-off to that thread and
 * one back to the publisher's. A group saves both: its first publish in a turn schedules the write on
 * the turn's executor, the events of the turn are written in one RocksDB write on the event loop, and
 * their stages complete there, before the event loop goes back to its I/O. The guarantees are those of
 * a publish without a group: the stage completes once the events are durable, and each publisher's
 * events keep their order.
 *
 * <p>The event loop never waits on the store for long: when the writer thread is busy, or RocksDB
 * would stall the write, the group goes to the writer thread instead, and its stages complete there.
 * Publishes to a broker with {@link Durability#FSYNC} always do: an fsync has no place on an event loop.
 *
 * <p>A group belongs to one thread; its publishes must run on the thread its executor runs tasks on.
 */
public interface PublishGroup {}
