#!/usr/bin/env bash
# Builds the benchmarks and runs JMH. Arguments go to JMH, e.g.:
#   benchmarks/run-jmh.sh AppendBenchmark
#   benchmarks/run-jmh.sh EncodingBenchmark -p payload=binary
# Results are also written as JSON to benchmarks/target/jmh-result.json.
set -euo pipefail
cd "$(dirname "$0")/.."
cp="$(bash benchmarks/classpath.sh)"
exec java -cp "$cp" org.openjdk.jmh.Main -rf json -rff benchmarks/target/jmh-result.json "$@"
