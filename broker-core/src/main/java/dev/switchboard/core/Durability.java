package dev.switchboard.core;

/** When a publish counts as durable. */
public enum Durability {
    /** Written to RocksDB's write-ahead log, no fsync: survives a killed process. The default. */
    WAL,
    /** Written and fsynced, group-committed: survives power loss. */
    FSYNC
}
