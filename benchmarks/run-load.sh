#!/usr/bin/env bash
# End-to-end load against the server jar, with baselines in the same run:
#   benchmarks/run-load.sh [seconds] [connections] [rate]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -T1 -pl server -am package -DskipTests -Dspotless.check.skip=true
cp="$(bash benchmarks/classpath.sh)"
exec java -Xmx1g -cp "$cp" dev.switchboard.benchmarks.load.LoadGenerator server/target/switchboard.jar "$cp" "$@"
