#!/bin/bash
# Time to target, before and after: the same `robo2d train` at two checkouts, alternating per seed (even
# seeds before first, odd seeds after first), each run held to one core (taskset -c 1).
#   BEFORE=checkout-at-b7097e8 AFTER=checkout-now OUT=folder run_ab.sh ENV_ID STEPS SEED...
# The stored runs: Robo2DReacher-v0 12000 0 1 2 3 4 and Robo2DOneJoint-v0 6000 0 1 2 3 4 (the reacher
# also with `--set backend=sbx` at AFTER, seeds 0-4 one after the other: sbx_seedN), then
#   robo2d report "OUT/ID/before_seed*" "OUT/ID/after_seed*" --target 0.95
# (stored here as b7097e8_seedN.csv and batched_eval_seedN.csv: each run's evaluations.csv and config)
set -e
id=$1; steps=$2; shift 2
for s in "$@"; do
  if (( s % 2 )); then order="after before"; else order="before after"; fi
  for v in $order; do
    code=$BEFORE; [ "$v" = after ] && code=$AFTER
    (cd "$code" && PYTHONPATH="$code" taskset -c 1 python -c "import sys; from robo2d.cli import main; main(sys.argv[1:])" \
      train "$id" --seed "$s" --timesteps "$steps" --run-dir "$OUT/$id/${v}_seed$s" --force --no-progress)
  done
done
