#!/usr/bin/env bash
# Scenario 6, recovery: restart a broker holding N undelivered events (default 1,000,000; ~1.1 GB on
# disk) against a raw RocksDB iterator scan of the same data, in one run:
#   benchmarks/run-recovery.sh [events]
set -euo pipefail
cd "$(dirname "$0")/.."
cp="$(bash benchmarks/classpath.sh)"
exec java -Xmx1g -cp "$cp" dev.switchboard.benchmarks.RecoveryBenchmark "$@"
