#!/usr/bin/env bash
# The base install (no extras) on every other supported Python this machine has (pyenv's): pip install,
# every id checked, reset and stepped, `robo2d list` and `robo2d check-robot`. PyBullet has binary
# wheels up to 3.11; on 3.12 and 3.13 pip compiles it once (~10 min each here) and caches the wheel.
set -uo pipefail
cd "$(dirname "$0")/.."
root="${PYENV_ROOT:-$HOME/.pyenv}"
failed=0
for version in 3.10 3.12 3.13; do
  python=$(ls -d "$root"/versions/"$version".*/bin/python3 2>/dev/null | sort -V | tail -1)
  if [ -z "$python" ]; then
    echo "Python $version: no interpreter under $root/versions, skipped"
    continue
  fi
  start=$SECONDS
  venv="$(mktemp -d)/venv"
  if "$python" -m venv "$venv" && "$venv/bin/python" -m pip install -q . \
    && (cd "$(dirname "$venv")" && "$venv/bin/python" "$OLDPWD/.ci/smoke.py") \
    && "$venv/bin/robo2d" list >/dev/null && "$venv/bin/robo2d" check-robot planar_arm >/dev/null; then
    echo "Python $version ($python): base install and smoke test passed in $((SECONDS - start)) s"
  else
    echo "Python $version ($python): FAILED after $((SECONDS - start)) s"
    failed=1
  fi
  rm -rf "$(dirname "$venv")"
done
exit $failed
