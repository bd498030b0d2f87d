#!/usr/bin/env bash
# End to end through the embedded API against a bare Vert.x forwarder, in one run:
#   benchmarks/run-e2e-embedded.sh [seconds per measurement] [rounds] [both|forwarder|switchboard] [max backlog]
# E2E_JAVA_OPTS='-Dswitchboard.callerLoops=false' measures the library's default wiring.
set -euo pipefail
cd "$(dirname "$0")/.."
cp="$(bash benchmarks/classpath.sh)"
exec java -Xmx1g ${E2E_JAVA_OPTS:-} -cp "$cp" dev.switchboard.benchmarks.EmbeddedEndToEnd "$@"
