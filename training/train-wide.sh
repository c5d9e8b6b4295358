#!/usr/bin/env bash
# Trains (or resumes) the next bundled model: the vgg-bn-wide preset on FER2013 train, selected on
# val, with the recipe the pilots chose (training/pilot/*.log, docs/RESULTS.md "Pilots").
# Checkpoints after every epoch under training/runs/fer2013-vgg-bn-wide; re-running resumes.
# Extra arguments go to `train` (e.g. --backend native to move the run to the native trainer).
set -euo pipefail
cd "$(dirname "$0")/.."
RUN=training/runs/fer2013-vgg-bn-wide
DATA=${EMOTION4J_DATASETS:-../shared/datasets}/fer2013
mkdir -p "$RUN"
# Run from a copy of the built tool, so rebuilding the project does not pull jars from under it.
BIN=$(mktemp -d /tmp/emotion4j-train-XXXX)
cp -r samples/target/emotion4j-cli.jar samples/target/lib "$BIN/"
exec java -Xmx8g -Dai.djl.offline=true --add-modules jdk.incubator.vector -jar "$BIN/emotion4j-cli.jar" train \
  --train "$DATA/train" --val "$DATA/val" --preset vgg-bn-wide --labels 7 \
  --epochs 40 --batch-size 64 --optimizer adamw --lr 0.0003 --weight-decay 0.01 \
  --schedule cosine --warmup 1 --balancing class_weights --patience 0 --seed 20261202 \
  --augmentation robust --label-smoothing 0.1 \
  --name fer2013-vgg-bn-wide --checkpoint-dir "$RUN" --resume -o "$RUN/fer2013-vgg-bn-wide.zip" "$@"
