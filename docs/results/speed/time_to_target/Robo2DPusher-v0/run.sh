#!/bin/bash
# Time to target of the joint pusher, in one alternating A/B on one core (`taskset -c $CORES`, default 1):
# main b7097e8 with its own recipe (SB3) against now with SBX updating every second env step
# (`--set backend=sbx --set sac.train_freq=2`), the recipe's whole budget (300k env steps) each. Odd
# seeds run now first, even seeds b7097e8 first; the same script as the IK pusher's with the id changed.
#   BEFORE=checkout-at-b7097e8 AFTER=checkout-now OUT=folder CACHE=scratch-folder run.sh SEED...
# Stored here: each run's evaluations.csv as GROUP_seedN.csv with its config.yaml, and each process's
# wall, user and system seconds (GNU time) in process_times.txt. The report, from the stored files:
#   robo2d report "$D/b7097e8_seed*.csv" "$D/sbx_tf2_seed*.csv" --target 0.9 \
#     --label "b7097e8 (SB3)" --label "now, SBX, every 2nd step" --out $D
set -e
ID=Robo2DPusher-v0
train() {  # code dir, run name, seed, extra flags
  # shellcheck disable=SC2086  # extra is several words
  (cd "$1" && PYTHONPATH="$1" ROBO2D_JAX_CACHE="$CACHE" /usr/bin/time -f "$2 seed$3 wall %e user %U sys %S" \
    taskset -c "${CORES:-1}" python -c "import sys; from robo2d.cli import main; main(sys.argv[1:])" \
    train "$ID" --seed "$3" --run-dir "$OUT/$2_seed$3" --force --no-progress $4 \
    >/dev/null 2>>"$OUT/times.txt")
}
for s in "$@"; do
  if ((s % 2)); then order="sbx_tf2 b7097e8"; else order="b7097e8 sbx_tf2"; fi
  for g in $order; do
    if [ "$g" = b7097e8 ]; then train "$BEFORE" "$g" "$s" ""; else
      train "$AFTER" "$g" "$s" "--set backend=sbx --set sac.train_freq=2"; fi
  done
done
