#!/usr/bin/env bash
# Training throughput of the capacity candidates, side by side in one run: PyTorch CPU, batch 64,
# standard augmentation; each net trains 50 batches (the img/s line at batch 50 is the figure).
cd "$(dirname "$0")/../.."
for round in 1 2; do
  for net in c32x2,c64x2,c128x2,d256 c32x2,c64x2,c192x2,c384x2,d256 c48x2,c96x2,c192x2,c384x2,d512 c64x2,c128x2,c256x2,d512; do
    echo "round $round $net $(training/pilot/pilot.sh $net 0.12 1 2>&1 | grep 'batch 50/' | awk '{print $(NF-1)}') img/s"
  done
done
