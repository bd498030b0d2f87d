package dev.switchboard.source.kafka;

/**
 * One assigned partition's progress, as its consumer last saw it.
 *
 * @param committed the first offset not yet accepted by the sink (what a restart reads from)
 * @param endOffset the partition's end (the next offset to be written)
 * @param lag records not yet accepted: {@code endOffset - committed}
 */
public record PartitionLag(String topic, int partition, long committed, long endOffset, long lag) {}
