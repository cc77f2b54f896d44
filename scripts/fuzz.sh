#!/usr/bin/env bash
# fuzz.sh — builds the libFuzzer target and fuzzes the module loader and
# engine for a given number of seconds (default 600).
#
# Usage: scripts/fuzz.sh [SECONDS] [extra libFuzzer flags...]
#   ISORUN_FUZZ_JOBS=N   run N fuzzing processes in parallel (libFuzzer -fork=N)
#   SPEC_DIR=DIR         the converted spec suite (default ../shared/spec/core)
#
# The corpus (build-fuzz/corpus) is seeded from the spec suite's binaries (not
# the SIMD ones: the engine rejects SIMD) and fuzz/regressions/, and kept
# between runs. Crash inputs land in build-fuzz/artifacts/; see
# docs/fuzzing.md for what to do with them.
set -euo pipefail

repo_root=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo_root"

seconds=${1:-600}
shift || true
jobs=${ISORUN_FUZZ_JOBS:-1}
spec_dir=${SPEC_DIR:-$repo_root/../shared/spec/core}

scripts/install-deps.sh

# Guests are not needed here, and clang is required for libFuzzer.
CC=clang cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DISORUN_FUZZ=ON -DISORUN_GUESTS=OFF >/dev/null
cmake --build build-fuzz --target isorun-fuzz-module

corpus=build-fuzz/corpus
artifacts=build-fuzz/artifacts
mkdir -p "$corpus" "$artifacts"

# Seed once; later runs keep (and grow) the corpus libFuzzer has built.
if [ -z "$(ls -A "$corpus")" ]; then
    seeded=0
    if [ -d "$spec_dir" ]; then
        for wasm in "$spec_dir"/*/*.wasm; do
            case "$(basename "$(dirname "$wasm")")" in simd_*) continue ;; esac
            # Names repeat across directories (NAME.0.wasm): prefix the test's name.
            cp "$wasm" "$corpus/$(basename "$(dirname "$wasm")")-$(basename "$wasm")"
            seeded=$((seeded + 1))
        done
    else
        echo "fuzz.sh: no spec suite at $spec_dir: seeding from fuzz/regressions only" >&2
    fi
    for input in fuzz/regressions/*; do
        case "$input" in *.md) continue ;; esac
        cp "$input" "$corpus/regression-$(basename "$input")"
        seeded=$((seeded + 1))
    done
    echo "fuzz.sh: seeded $corpus with $seeded inputs"
fi

fuzz_flags=(
    -max_total_time="$seconds"
    -timeout=10             # one input running 10 s is a hang: report it
    -rss_limit_mb=2048      # a runaway allocation is a bug too
    -max_len=65536
    -artifact_prefix="$artifacts/"
    -print_final_stats=1
)
if [ "$jobs" -gt 1 ]; then
    fuzz_flags+=(-fork="$jobs" -ignore_crashes=0)
fi

echo "fuzz.sh: fuzzing for $seconds s ($jobs job(s)); artifacts go to $artifacts/"
exec build-fuzz/fuzz/isorun-fuzz-module "${fuzz_flags[@]}" "$@" "$corpus"
