#!/bin/bash
# Issue 18: SB3 (shipped) on CPU 0 and SBX (backend=sbx, shipped update ratio) on CPU 1, side by side,
# seeds 0-2 one after the other on each core, to 60k env steps: wall-clock to the first evaluation >= 80%.
cd "$(dirname "$0")/../../../../.."
R=runs/speed/pairs
mkdir -p $R
run() {  # cpu backend seed
  taskset -c $1 .venv/bin/robo2d train Robo2DKukaJawPickPlace-v0 --seed $3 --timesteps 60000 --set backend=$2 \
    --run-dir $R/jaw_$2_seed$3 --no-progress > $R/jaw_$2_seed$3.log 2>&1
}
(for s in 0 1 2; do run 0 sb3 $s; done) &
(for s in 0 1 2; do run 1 sbx $s; done) &
wait
