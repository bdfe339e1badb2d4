#!/bin/bash
# Time to target, before and after: the same `robo2d train` at two checkouts, alternating per seed (even
# seeds before first, odd seeds after first), each run held to the cores CORES names (taskset -c; default
# 1, one core), with AFTER_SET's `--set` flags for the after runs (e.g. "--set backend=sbx").
#   BEFORE=checkout-at-b7097e8 AFTER=checkout-now OUT=folder [CORES=0,1] [AFTER_SET=...] run_ab.sh ENV_ID STEPS SEED...
# The stored runs: Robo2DReacher-v0 12000 0 1 2 3 4 and Robo2DOneJoint-v0 6000 0 1 2 3 4 (the reacher
# also with `--set backend=sbx` at AFTER, seeds 0-4 one after the other: sbx_seedN), then
#   robo2d report "OUT/ID/before_seed*" "OUT/ID/after_seed*" --target 0.95
# (stored here as b7097e8_seedN.csv and batched_eval_seedN.csv: each run's evaluations.csv and config).
# Robo2DReacher-v0-background/: CORES=0,1 with AFTER=now and `background_evaluation: true` (then the
# default) against BEFORE=b7097e8, seeds 0-4; in inline/, BEFORE=AFTER=now with
# AFTER_SET="--set background_evaluation=false"; reports with --label per group, --target 0.95.
set -e
id=$1; steps=$2; shift 2
for s in "$@"; do
  if (( s % 2 )); then order="after before"; else order="before after"; fi
  for v in $order; do
    code=$BEFORE; extra=""; [ "$v" = after ] && code=$AFTER && extra=${AFTER_SET:-}
    # shellcheck disable=SC2086  # AFTER_SET is several words
    (cd "$code" && PYTHONPATH="$code" taskset -c "${CORES:-1}" python -c "import sys; from robo2d.cli import main; main(sys.argv[1:])" \
      train "$id" --seed "$s" --timesteps "$steps" --run-dir "$OUT/$id/${v}_seed$s" --force --no-progress $extra)
  done
done
