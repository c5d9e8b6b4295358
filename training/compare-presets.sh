#!/usr/bin/env bash
# The paper's comparison, reproduced: LeNet, AlexNet and VGG-BN trained on FER2013 train, selected on
# val, reported on test, for the seven labels and the paper's four. Each run checkpoints every epoch
# under training/runs/<preset>-<labels>; re-running the script resumes unfinished runs and skips
# finished ones. Results: training/runs/*/evaluate-test.txt and the curves PNGs; docs/RESULTS.md.
# Usage: training/compare-presets.sh [EPOCHS]   (default 30)
set -euo pipefail
cd "$(dirname "$0")/.."
EPOCHS=${1:-30}
DATA=${EMOTION4J_DATASETS:-../shared/datasets}/fer2013
BIN=$(mktemp -d /tmp/emotion4j-compare-XXXX)
cp -r samples/target/emotion4j-cli.jar samples/target/lib "$BIN/"
CLI="java -Xmx6g -Dai.djl.offline=true --add-modules jdk.incubator.vector -jar $BIN/emotion4j-cli.jar"
for labels in 7 4; do
  for preset in lenet alexnet vgg-bn; do
    RUN=training/runs/$preset-$labels
    NAME=paper$labels-$preset
    [ "$labels" = 7 ] && NAME=fer2013-$preset
    mkdir -p "$RUN"
    if [ ! -f "$RUN/$NAME.zip" ]; then
      $CLI train --train "$DATA/train" --val "$DATA/val" --preset "$preset" --labels "$labels" \
        --epochs "$EPOCHS" --patience 8 --name "$NAME" --checkpoint-dir "$RUN" --resume \
        -o "$RUN/$NAME.zip" 2>&1 | tee -a "$RUN/train.log"
    fi
    $CLI evaluate "$DATA/test" --model "$RUN/$NAME.zip" --backend native --labels "$labels" \
      --out "$RUN" --record "$RUN/$NAME-tested.zip" | tee "$RUN/evaluate-test.txt"
  done
done
