#!/usr/bin/env bash
# Builds the benchmarks module (and what it depends on) and prints the classpath to run it with.
# Sourced by the run-*.sh scripts; run from the project root.
set -euo pipefail
mvn -B -q -T1 -pl benchmarks -am install -DskipTests -Dspotless.check.skip=true >&2
mvn -B -q -f benchmarks/pom.xml dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >&2
echo "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
