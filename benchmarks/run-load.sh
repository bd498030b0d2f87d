#!/usr/bin/env bash
# End-to-end load against the server jar, with baselines in the same run:
#   benchmarks/run-load.sh [seconds] [connections] [rate]
# LOAD_JAVA_OPTS='-Dswitchboard.loadRuns=e2e -Dswitchboard.serverJvmOptions=...' picks runs and profiles.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -T1 -pl server -am package -DskipTests -Dspotless.check.skip=true
cp="$(bash benchmarks/classpath.sh)"
exec java -Xmx1g ${LOAD_JAVA_OPTS:-} -cp "$cp" dev.switchboard.benchmarks.load.LoadGenerator server/target/switchboard.jar "$cp" "$@"
