#!/bin/bash
# Time to target of one id, in one alternating A/B on one core (`taskset -c $CORES`, default 1): main
# b7097e8 with its own recipe (SB3) against now with SBX updating every second env step
# (`--set backend=sbx --set sac.train_freq=2`), the recipe's whole budget each. Odd seeds run now
# first, even seeds b7097e8 first. Each run's evaluations.csv and config.yaml land in OUT/GROUP_seedN/,
# each process's wall, user and system seconds (GNU time) in OUT/times.txt.
#   BEFORE=checkout-at-b7097e8 AFTER=checkout-now OUT=folder CACHE=scratch-folder run_sbx_tf2_ab.sh ID SEED...
set -e
id=$1
shift
train() {  # code dir, run name, seed, extra flags
  # shellcheck disable=SC2086  # extra is several words
  (cd "$1" && PYTHONPATH="$1" ROBO2D_JAX_CACHE="$CACHE" /usr/bin/time -f "$2 seed$3 wall %e user %U sys %S" \
    taskset -c "${CORES:-1}" python -c "import sys; from robo2d.cli import main; main(sys.argv[1:])" \
    train "$id" --seed "$3" --run-dir "$OUT/$2_seed$3" --force --no-progress $4 \
    >/dev/null 2>>"$OUT/times.txt")
}
for s in "$@"; do
  if ((s % 2)); then order="sbx_tf2 b7097e8"; else order="b7097e8 sbx_tf2"; fi
  for g in $order; do
    if [ "$g" = b7097e8 ]; then train "$BEFORE" "$g" "$s" ""; else
      train "$AFTER" "$g" "$s" "--set backend=sbx --set sac.train_freq=2"; fi
  done
done
