#!/usr/bin/env bash
# Makes the bundled model from a training run's best checkpoint: evaluates it on FER2013 test with
# the native backend, records the test figures in its provenance, and writes it (and the zoo index)
# into the api's resources. Reports go to docs/results/<name>.
# Usage: training/bundle-model.sh [NAME [CHECKPOINT]]   (default fer2013-vgg-bn and its run's best;
#        the next model: training/bundle-model.sh fer2013-vgg-bn-wide)
set -euo pipefail
cd "$(dirname "$0")/.."
NAME=${1:-fer2013-vgg-bn}
RUN=${2:-training/runs/$NAME/best}
DATA=${EMOTION4J_DATASETS:-../shared/datasets}/fer2013
MODELS=api/src/main/resources/io/github/emotion4j/models
OUT=docs/results/$NAME
CLI="java -Dai.djl.offline=true --add-modules jdk.incubator.vector -jar samples/target/emotion4j-cli.jar"
mkdir -p "$OUT" "$MODELS"
$CLI evaluate "$DATA/test" --model "$RUN" --backend native --out "$OUT" --record "$MODELS/$NAME.zip" | tee "$OUT/evaluate-test.txt"
# the other collection, laid out by label (its folder names map onto ours: happiness -> happy, ...)
OTHER=${EMOTION4J_DATASETS:-../shared/datasets}/faces-other-source
BYLABEL=$(mktemp -d)
tail -n +2 "$OTHER/labels.csv" | while IFS=, read -r image label; do
  mkdir -p "$BYLABEL/$label"; ln -s "$(realpath "$OTHER/images/$image")" "$BYLABEL/$label/$image"
done
mkdir -p "$OUT/other-source"
$CLI evaluate "$BYLABEL" --model "$MODELS/$NAME.zip" --backend native --out "$OUT/other-source" | tee "$OUT/other-source/evaluate.txt"
# the issue's figure for other collections: the paper's four classes, balanced accuracy
mkdir -p "$OUT/other-source/paper-four"
$CLI evaluate "$BYLABEL" --labels 4 --model "$MODELS/$NAME.zip" --backend native --out "$OUT/other-source/paper-four" | tee "$OUT/other-source/paper-four/evaluate.txt"
rm -rf "$BYLABEL"
$CLI curves training/runs/$NAME/history.json -o "$OUT/training-curves.png"
$CLI models --write-index "$MODELS"
$CLI models
python3 training/update-results.py "$NAME"
