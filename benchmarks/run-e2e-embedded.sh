#!/usr/bin/env bash
# End to end through the embedded API against a bare Vert.x forwarder, in one run:
#   benchmarks/run-e2e-embedded.sh [seconds per measurement] [rounds]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
mvn -B -q -T1 -pl benchmarks -am install -DskipTests -Dspotless.check.skip=true
mvn -B -q -f benchmarks/pom.xml dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
cp="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
exec java -Xmx1g -cp "$cp" dev.switchboard.benchmarks.EmbeddedEndToEnd "$@"
