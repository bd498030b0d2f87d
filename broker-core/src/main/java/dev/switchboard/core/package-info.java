/**
 * Switchboard's broker core: durable per-broker event logs in RocksDB, subscriptions with durable
 * cursors, the dispatch loop, and the embedded {@link dev.switchboard.core.Switchboard} facade.
 *
 * <p>The types in this package are the public API and the small SPIs ({@link
 * dev.switchboard.core.EventFilter}, {@link dev.switchboard.core.EventSink}); implementations live in
 * sub-packages that other modules never import.
 */
package dev.switchboard.core;
