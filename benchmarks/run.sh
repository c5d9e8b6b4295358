#!/usr/bin/env bash
# Runs every backend side by side in one JMH run and prints the results table.
# Usage: benchmarks/run.sh [JMH options, e.g. -p backend=native,onnxruntime -p preset=vgg-bn]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -pl benchmarks -am package -DskipTests
CP="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
exec java -cp "$CP" org.openjdk.jmh.Main -rf json -rff benchmarks/target/jmh-result.json "$@"
