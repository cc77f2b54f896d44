#!/usr/bin/env bash
# demo.sh — installs what is needed, builds isorun, and runs the flagship
# demo: a C program compiled to WebAssembly (tests/guests/compute.c) that
# counts the primes below a bound and prints a checksum, executed by isorun's
# own engine through the command-line tool.
set -euo pipefail

repo_root=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo_root"

# ISORUN_BUILD_DIR picks another build tree (default build/, as in the README).
build=${ISORUN_BUILD_DIR:-build}

scripts/install-deps.sh
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build"

guest=$build/tests/guests/compute.wasm
echo
echo "\$ $build/isorun run $guest"
time "$build/isorun" run "$guest"
