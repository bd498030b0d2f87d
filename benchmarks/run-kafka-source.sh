#!/usr/bin/env bash
# Kafka → KafkaSource → broker → trigger → HTTP sink against a plain Kafka consumer posting each
# record to the same sink, in one run (a real Kafka broker is started in a child JVM):
#   benchmarks/run-kafka-source.sh [records] [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
cp="$(bash benchmarks/classpath.sh)"
exec java -Xmx1g -cp "$cp" dev.switchboard.benchmarks.kafka.KafkaSourceBenchmark "$@"
