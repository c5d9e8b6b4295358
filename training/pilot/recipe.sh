#!/usr/bin/env bash
# Recipe pilots for issue #18: the vgg-bn network, 40% of FER2013 train, 5 epochs, scored on all of val.
cd "$(dirname "$0")/../.."
NET=c32x2,c64x2,c128x2,d256
run() { name=$1; shift; training/pilot/pilot.sh $NET 0.4 5 "$@" > "training/pilot/recipe-$name.log" 2>&1; }
run base
run robust-ls aug=robust ls=0.1
run robust-ls-mix aug=robust ls=0.1 mixup=0.2 cutmix=1
run robust-ls-ema aug=robust ls=0.1 ema=0.998
run robust-ls-nesterov aug=robust ls=0.1 opt=sgd_nesterov lr=0.02 wd=5e-4
run robust-ls-lr1e-3 aug=robust ls=0.1 lr=1e-3
# dropout on the wide candidate (compare with capacity-c48x2_c96x2_c192x2_c384x2_d512.log, dropout 0.5)
training/pilot/pilot.sh c48x2,c96x2,c192x2,c384x2,d512 0.25 5 dropout=0.25 > training/pilot/capacity-c48x2_c96x2_c192x2_c384x2_d512-dropout0.25.log 2>&1
training/pilot/throughput.sh > training/pilot/throughput.log 2>&1
