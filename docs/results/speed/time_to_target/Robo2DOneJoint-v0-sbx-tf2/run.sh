#!/bin/bash
# Time to target of the one-joint robot with SBX updating every second env step, in one alternating A/B
# (both cores free; each run's process may use both, `taskset -c 0,1`): main b7097e8 with its own recipe
# (SB3); now with the recipe as it was (SBX, one update per env step) and with `sac.train_freq=2` (one
# update every second env step), both with their compiled programs in robo2d's cache (ROBO2D_JAX_CACHE,
# filled by one run of seed 100 of each first); and now with `sac.train_freq=2` against an empty cache
# (a machine's first run). The order rotates with the seed.
#   BEFORE=checkout-at-b7097e8 AFTER=checkout-now OUT=folder CACHES=scratch-folder run.sh 0 1 2 3 4
# Stored here: each run's evaluations.csv as GROUP_seedN.csv with its config.yaml, and each process's
# wall, user and system seconds (GNU time) in process_times.txt. The report, from the stored files:
#   robo2d report "$D/b7097e8_seed*.csv" "$D/tf1_cached_seed*.csv" "$D/tf2_cached_seed*.csv" \
#     "$D/tf2_first_seed*.csv" --target 0.95 --label "b7097e8 (SB3)" --label "now, SBX, every step, cached" \
#     --label "now, SBX, every 2nd step, cached" --label "now, SBX, every 2nd step, first run" --out $D
set -e
steps=6000
train() {  # code dir, cache folder, run name, seed, extra flags
  # shellcheck disable=SC2086  # extra is several words
  (cd "$1" && PYTHONPATH="$1" ROBO2D_JAX_CACHE="$2" /usr/bin/time -f "$3 seed$4 wall %e user %U sys %S" \
    taskset -c 0,1 python -c "import sys; from robo2d.cli import main; main(sys.argv[1:])" \
    train Robo2DOneJoint-v0 --seed "$4" --timesteps $steps --run-dir "$OUT/$3_seed$4" --force \
    --no-progress $5 >/dev/null 2>>"$OUT/times.txt")
}
run() {
  case $1 in
    b7097e8) train "$BEFORE" off "$1" "$2" "" ;;
    tf1_cached) train "$AFTER" "$CACHES/cached" "$1" "$2" "--set backend=sbx --set sac.train_freq=1" ;;
    tf2_cached) train "$AFTER" "$CACHES/cached" "$1" "$2" "--set backend=sbx --set sac.train_freq=2" ;;
    tf2_first) rm -rf "$CACHES/first"; train "$AFTER" "$CACHES/first" "$1" "$2" "--set backend=sbx --set sac.train_freq=2" ;;
  esac
}
rm -rf "$CACHES/cached"
for tf in 1 2; do
  train "$AFTER" "$CACHES/cached" "warmup_tf$tf" 100 "--set backend=sbx --set sac.train_freq=$tf --timesteps 1100"
done
groups=(b7097e8 tf1_cached tf2_cached tf2_first)
for s in "$@"; do
  for ((i = 0; i < 4; i++)); do run "${groups[$(((i + s) % 4))]}" "$s"; done
done
