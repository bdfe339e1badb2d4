#!/bin/bash
# Time to target of the joint pusher: main b7097e8 with its own recipe (SB3) against now with SBX updating
# every second env step, the recipe's whole budget (300k env steps) each, one core per run
# (../run_sbx_tf2_ab.sh, which holds the commands).
#   BEFORE=checkout-at-b7097e8 AFTER=checkout-now OUT=folder CACHE=scratch-folder run.sh SEED...
# The stored set: `run.sh 0` on core 1, then `CORES=0 run.sh 1` and `CORES=1 run.sh 2` side by side.
# Stored here: each run's evaluations.csv as GROUP_seedN.csv with its config.yaml, and each process's
# wall, user and system seconds (GNU time) in process_times.txt. The report, from the stored files:
#   robo2d report "$D/b7097e8_seed*.csv" "$D/sbx_tf2_seed*.csv" --target 0.9 \
#     --label "b7097e8 (SB3)" --label "now, SBX, every 2nd step" --out $D
exec "$(dirname "$0")/../run_sbx_tf2_ab.sh" Robo2DPusher-v0 "$@"
