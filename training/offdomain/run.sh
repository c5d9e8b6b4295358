#!/usr/bin/env bash
# Reproduces every figure in training/offdomain/ANALYSIS.md. Run from the repository root after the
# CLI is built (samples/target/lib/ holds the jars). Single-threaded (ActiveProcessorCount=1), about
# one minute of CPU in all; reads ../shared/datasets (FER2013 train sample + val sample, never test).
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:-training/offdomain/out}
mkdir -p "$OUT"
# MODEL=path/to/package.zip training/offdomain/run.sh  evaluates another model package instead of the bundled one.
run() {
  java ${MODEL:+-Dmodel="$MODEL"} -XX:ActiveProcessorCount=1 --add-modules jdk.incubator.vector -Dai.djl.offline=true \
    -cp "samples/target/lib/*" training/offdomain/Offdomain.java "$@" 2> >(grep -v -i 'warning' >&2)
}
run stats "$OUT" | tee "$OUT/stats.txt"
run eval "$OUT" | tee "$OUT/eval.txt"          # also writes $OUT/results.tsv
run perimage "$OUT" | tee "$OUT/perimage.txt"
run montage "$OUT" | tee "$OUT/montage.txt"
