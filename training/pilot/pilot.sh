#!/usr/bin/env bash
# training/pilot/pilot.sh NET FRACTION EPOCHS [key=value ...]  e.g. pilot.sh c32x2,c64x2,c128x2,d256 0.25 5 ls=0.1
# Runs on a copy of the built CLI's jars, so rebuilding does not disturb a running pilot.
cd "$(dirname "$0")/../.."
BIN=${PILOT_BIN:-/tmp/emotion4j-pilot-$(ls -l --time-style=+%s samples/target/emotion4j-cli.jar samples/target/lib | md5sum | cut -c1-8)}
[ -d "$BIN" ] || { mkdir -p "$BIN"; cp -r samples/target/emotion4j-cli.jar samples/target/lib "$BIN/"; }
exec java -Xmx8g -Dai.djl.offline=true -cp "$BIN/lib/*" training/pilot/Pilot.java "$@"
