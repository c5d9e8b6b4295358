#!/usr/bin/env bash
# The paper's comparison, reproduced: LeNet, AlexNet and VGG-BN trained on FER2013 train, selected on
# val, reported on test, for the seven labels and the paper's four. Each run checkpoints every epoch
# under training/runs/<preset>-<labels>; re-running the script resumes unfinished runs and skips
# finished ones. Results: training/runs/*/evaluate-test.txt and the curves PNGs; docs/RESULTS.md.
# Same recipe as the bundled model (training/train-bundled.sh) apart from the epoch budget; the
# seven-label VGG-BN row is the bundled model (training/train-bundled.sh, 40 epochs), evaluated here.
# Usage: training/compare-presets.sh [EPOCHS [PRESETS [LABEL_SETS]]]
#   e.g. training/compare-presets.sh 30 lenet "7 4"   (defaults: 30, "lenet alexnet vgg-bn", "7 4")
# docs/RESULTS.md ran LeNet and VGG-BN for 40 epochs and AlexNet for 15 (≈ 4–4.7 min per epoch here).
set -euo pipefail
cd "$(dirname "$0")/.."
EPOCHS=${1:-30}
PRESETS=${2:-lenet alexnet vgg-bn}
LABEL_SETS=${3:-7 4}
DATA=${EMOTION4J_DATASETS:-../shared/datasets}/fer2013
BIN=$(mktemp -d /tmp/emotion4j-compare-XXXX)
cp -r samples/target/emotion4j-cli.jar samples/target/lib "$BIN/"
CLI="java -Xmx6g -Dai.djl.offline=true --add-modules jdk.incubator.vector -jar $BIN/emotion4j-cli.jar"
for labels in $LABEL_SETS; do
  for preset in $PRESETS; do
    RUN=training/runs/$preset-$labels
    NAME=paper$labels-$preset
    [ "$labels" = 7 ] && NAME=fer2013-$preset
    MODEL=$RUN/$NAME.zip
    if [ "$labels" = 7 ] && [ "$preset" = vgg-bn ]; then
      MODEL=api/src/main/resources/io/github/emotion4j/models/fer2013-vgg-bn.zip # the bundled run's best
    fi
    mkdir -p "$RUN"
    if [ ! -f "$MODEL" ]; then
      $CLI train --train "$DATA/train" --val "$DATA/val" --preset "$preset" --labels "$labels" \
        --epochs "$EPOCHS" --batch-size 64 --optimizer adamw --lr 0.0003 --weight-decay 0.01 \
        --schedule cosine --warmup 1 --balancing class_weights --patience 10 --seed 20261125 \
        --name "$NAME" --checkpoint-dir "$RUN" --resume -o "$RUN/$NAME.zip" 2>&1 \
        | tee -a "$RUN/train.log"
    fi
    $CLI evaluate "$DATA/test" --model "$MODEL" --backend native --labels "$labels" \
      --out "$RUN" --record "$RUN/$NAME-tested.zip" | tee "$RUN/evaluate-test.txt"
  done
done
