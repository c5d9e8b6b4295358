#!/usr/bin/env bash
# Capacity pilots for issue #18: same recipe, 25% of FER2013 train, 5 epochs, scored on all of val.
cd "$(dirname "$0")/../.."
for net in c32x2,c64x2,c128x2,d256 c32x2,c64x2,c192x2,c384x2,d256 c48x2,c96x2,c192x2,c384x2,d512 c64x2,c128x2,c256x2,d512; do
  training/pilot/pilot.sh "$net" 0.25 5 > "training/pilot/capacity-${net//,/_}.log" 2>&1
done
