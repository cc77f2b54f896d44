#!/usr/bin/env bash
# fuzz.sh — builds a libFuzzer target and fuzzes for a given number of
# seconds (default 600): by default the module loader and engine
# (fuzz_module.c); with ISORUN_FUZZ_TARGET=differential, the native tier
# against the interpreter on generated modules (fuzz_differential.c).
#
# Usage: scripts/fuzz.sh [SECONDS] [extra libFuzzer flags...]
#   ISORUN_FUZZ_JOBS=N   run N fuzzing processes in parallel (libFuzzer -fork=N)
#   ISORUN_FUZZ_TARGET=module|differential   which target (default module)
#   SPEC_DIR=DIR         the converted spec suite (default ../shared/spec/core)
#
# The module target's corpus (build-fuzz/corpus) is seeded from the spec
# suite's binaries (the simd_* ones included) and fuzz/regressions/: every
# run adds those not in it yet, so a corpus grown before new seeds existed
# gets them too. The differential target's (build-fuzz/corpus-differential)
# is seeded with random byte strings, which it reads as its generator's
# choices. Both are kept between runs. Crash inputs land in build-fuzz/artifacts/; see
# docs/fuzzing.md for what to do with them.
set -euo pipefail

repo_root=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo_root"

seconds=${1:-600}
shift || true
jobs=${ISORUN_FUZZ_JOBS:-1}
target=${ISORUN_FUZZ_TARGET:-module}
spec_dir=${SPEC_DIR:-$repo_root/../shared/spec/core}
case "$target" in
module | differential) ;;
*) echo "fuzz.sh: ISORUN_FUZZ_TARGET must be module or differential, not $target" >&2; exit 2 ;;
esac

scripts/install-deps.sh

# Guests are not needed here, and clang is required for libFuzzer.
CC=clang cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DISORUN_FUZZ=ON -DISORUN_GUESTS=OFF >/dev/null
cmake --build build-fuzz --target "isorun-fuzz-$target"

artifacts=build-fuzz/artifacts
mkdir -p "$artifacts"

if [ "$target" = differential ]; then
    corpus=build-fuzz/corpus-differential
    mkdir -p "$corpus"
    # Any bytes are a valid input (the generator's choices), but libFuzzer
    # grows inputs from a few bytes only slowly, and few bytes make tiny
    # modules: start from full-sized random streams instead.
    if [ -z "$(ls -A "$corpus")" ]; then
        for i in $(seq 1 16); do head -c 4096 /dev/urandom >"$corpus/random-$i"; done
        echo "fuzz.sh: seeded $corpus with 16 random inputs"
    fi
    # Each input runs the C compiler once: allow for a slow one, and keep
    # the module the target writes on a failure beside the input.
    export ISORUN_DIFF_FAIL_DIR="$artifacts"
    echo "fuzz.sh: fuzzing the native tier against the interpreter for $seconds s ($jobs job(s)); artifacts go to $artifacts/"
    diff_flags=(-max_total_time="$seconds" -timeout=60 -rss_limit_mb=2048 -max_len=8192
        -artifact_prefix="$artifacts/" -print_final_stats=1)
    if [ "$jobs" -gt 1 ]; then diff_flags+=(-fork="$jobs" -ignore_crashes=0); fi
    exec build-fuzz/fuzz/isorun-fuzz-differential "${diff_flags[@]}" "$@" "$corpus"
fi

corpus=build-fuzz/corpus
mkdir -p "$corpus"

# Seeds go in under names of their own (libFuzzer names what it adds by
# hash), so each run adds only the seeds not there yet; the corpus
# libFuzzer has grown is kept.
seeded=0
add_seed() { # FILE NAME
    if [ ! -e "$corpus/$2" ]; then
        cp "$1" "$corpus/$2"
        seeded=$((seeded + 1))
    fi
}
if [ -d "$spec_dir" ]; then
    for wasm in "$spec_dir"/*/*.wasm; do
        # Names repeat across directories (NAME.0.wasm): prefix the test's name.
        add_seed "$wasm" "$(basename "$(dirname "$wasm")")-$(basename "$wasm")"
    done
else
    echo "fuzz.sh: no spec suite at $spec_dir: seeding from fuzz/regressions only" >&2
fi
for input in fuzz/regressions/*; do
    case "$input" in *.md) continue ;; esac
    add_seed "$input" "regression-$(basename "$input")"
done
if [ "$seeded" -gt 0 ]; then echo "fuzz.sh: added $seeded seed inputs to $corpus"; fi

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
