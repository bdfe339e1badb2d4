#!/bin/bash
# Time to target of the reacher, three ways in one alternating A/B (both cores free; each run's process
# may use both, `taskset -c 0,1`): main b7097e8 with its own recipe (SB3), now with the shipped recipe
# (SBX, one update per env step), and now with 4 updates every 4 env steps (sac.train_freq=4,
# sac.gradient_steps=4: SBX runs the 4 in one compiled call). The order rotates with the seed.
#   BEFORE=checkout-at-b7097e8 AFTER=checkout-now OUT=folder run.sh 0 1 2 3 4
# Stored here: each run's evaluations.csv as GROUP_seedN.csv with its config.yaml, and each process's
# wall, user and system seconds (GNU time) in process_times.txt. The report, from the stored files:
#   robo2d report "$D/b7097e8_seed*.csv" "$D/recipe_seed*.csv" "$D/tf4_seed*.csv" --target 0.95 \
#     --label "b7097e8 (SB3)" --label "now (the recipe: SBX)" --label "now, SBX, 4 updates every 4 steps" --out $D
set -e
steps=12000
run() {
  case $1 in
    b7097e8) code=$BEFORE; extra="" ;;
    recipe) code=$AFTER; extra="" ;;
    tf4) code=$AFTER; extra="--set sac.train_freq=4 --set sac.gradient_steps=4" ;;
  esac
  # shellcheck disable=SC2086  # extra is several words
  (cd "$code" && PYTHONPATH="$code" /usr/bin/time -f "$1 seed$2 wall %e user %U sys %S" taskset -c 0,1 \
    python -c "import sys; from robo2d.cli import main; main(sys.argv[1:])" train Robo2DReacher-v0 --seed "$2" \
    --timesteps $steps --run-dir "$OUT/$1_seed$2" --force --no-progress $extra >/dev/null 2>>"$OUT/times.txt")
}
groups=(b7097e8 recipe tf4)
for s in "$@"; do
  for ((i = 0; i < 3; i++)); do run "${groups[$(((i + s) % 3))]}" "$s"; done
done
