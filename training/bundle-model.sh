#!/usr/bin/env bash
# Makes the bundled model from the training run's best checkpoint: evaluates it on FER2013 test with
# the native backend, records the test figures in its provenance, and writes it (and the zoo index)
# into the api's resources. Reports go to docs/results/fer2013-vgg-bn.
set -euo pipefail
cd "$(dirname "$0")/.."
RUN=${1:-training/runs/fer2013-vgg-bn/best}
DATA=${EMOTION4J_DATASETS:-../shared/datasets}/fer2013
MODELS=api/src/main/resources/io/github/emotion4j/models
OUT=docs/results/fer2013-vgg-bn
CLI="java -Dai.djl.offline=true --add-modules jdk.incubator.vector -jar samples/target/emotion4j-cli.jar"
mkdir -p "$OUT" "$MODELS"
$CLI evaluate "$DATA/test" --model "$RUN" --backend native --out "$OUT" --record "$MODELS/fer2013-vgg-bn.zip" | tee "$OUT/evaluate-test.txt"
# the other collection, laid out by label (its folder names map onto ours: happiness -> happy, ...)
OTHER=${EMOTION4J_DATASETS:-../shared/datasets}/faces-other-source
BYLABEL=$(mktemp -d)
tail -n +2 "$OTHER/labels.csv" | while IFS=, read -r image label; do
  mkdir -p "$BYLABEL/$label"; ln -s "$(realpath "$OTHER/images/$image")" "$BYLABEL/$label/$image"
done
mkdir -p "$OUT/other-source"
$CLI evaluate "$BYLABEL" --model "$MODELS/fer2013-vgg-bn.zip" --backend native --out "$OUT/other-source" | tee "$OUT/other-source/evaluate.txt"
rm -rf "$BYLABEL"
$CLI curves training/runs/fer2013-vgg-bn/history.json -o "$OUT/training-curves.png"
$CLI models --write-index "$MODELS"
$CLI models
python3 training/update-results.py
