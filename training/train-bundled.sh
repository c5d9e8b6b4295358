#!/usr/bin/env bash
# Trains (or resumes) the bundled model: VGG-BN on FER2013 train, selected on val.
# Checkpoints after every epoch under training/runs/fer2013-vgg-bn; re-running resumes.
set -euo pipefail
cd "$(dirname "$0")/.."
RUN=training/runs/fer2013-vgg-bn
DATA=${EMOTION4J_DATASETS:-../shared/datasets}/fer2013
mkdir -p "$RUN"
# Run from a copy of the built tool, so rebuilding the project does not pull jars from under it.
BIN=$(mktemp -d /tmp/emotion4j-train-XXXX)
cp -r samples/target/emotion4j-cli.jar samples/target/lib "$BIN/"
exec java -Xmx6g -Dai.djl.offline=true -jar "$BIN/emotion4j-cli.jar" train \
  --train "$DATA/train" --val "$DATA/val" --preset vgg-bn --labels 7 \
  --epochs 40 --batch-size 64 --optimizer adamw --lr 0.0003 --weight-decay 0.01 \
  --schedule cosine --warmup 1 --balancing class_weights --patience 10 --seed 20261125 \
  --name fer2013-vgg-bn --checkpoint-dir "$RUN" --resume -o "$RUN/fer2013-vgg-bn.zip"
