#!/usr/bin/env bash
# Builds the benchmarks and runs JMH. Arguments go to JMH, e.g.:
#   benchmarks/run-jmh.sh AppendBenchmark
#   benchmarks/run-jmh.sh EncodingBenchmark -p payload=binary
# Results are also written as JSON to benchmarks/target/jmh-result.json.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
mvn -B -q -T1 -pl benchmarks -am install -DskipTests -Dspotless.check.skip=true
mvn -B -q -f benchmarks/pom.xml dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
cp="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
exec java -cp "$cp" org.openjdk.jmh.Main -rf json -rff benchmarks/target/jmh-result.json "$@"
