#!/usr/bin/env bash
# demo.sh — installs what is needed, builds isorun, and runs the flagship
# demo:
#   1. `isorun serve` runs a provider instance (examples/demo/stats_provider.c,
#      compiled to WebAssembly by the build) and serves it over TCP;
#   2. `isorun run` runs a consumer (examples/demo/report.c, a WASI program)
#      with a mounted directory and a budget, its "example:stats/ops" imports
#      linked to that remote instance: it reads numbers from the mount,
#      computes statistics through the provider and writes a report;
#   3. the same consumer linked to the provider in-process (a local link);
#   4. the same consumer with too little fuel: the budget stops it.
# The server is stopped by PID at the end, whatever happens.
set -euo pipefail

repo_root=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo_root"

# ISORUN_BUILD_DIR picks another build tree (default build/, as in the README).
build=${ISORUN_BUILD_DIR:-build}

scripts/install-deps.sh
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build"

exec scripts/demo-run.sh "$build"

