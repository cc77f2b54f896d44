#!/usr/bin/env bash
# test.sh — installs what is needed, then builds and runs the whole test suite
# twice: build/ (gcc, Release: -O3, where gcc warns most) and build-asan/ (clang, AddressSanitizer
# + UndefinedBehaviorSanitizer). Using a different compiler per tree keeps the
# code warning-free (-Werror) under both gcc and clang.
#
# Usage: scripts/test.sh [extra ctest arguments, e.g. -L unit]
# ISORUN_BUILD_DIR / ISORUN_ASAN_BUILD_DIR pick other trees (default build/
# and build-asan/).
# Exits non-zero when any configure, build or test step failed.
set -uo pipefail

repo_root=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo_root" || exit 1

scripts/install-deps.sh || { echo "test.sh: installing dependencies failed" >&2; exit 1; }

# Sanitizers: fail on the first report, and report leaks (every _new has its
# _free; tests must run leak-free).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

summary=()
failed=0

# run_tree NAME DIR CC CMAKE-ARGS... : configure, build and test one tree,
# recording one summary line.
run_tree() {
    local name=$1 dir=$2 compiler=$3
    shift 3
    local log="$dir/test.log"
    echo "=== $name: configure ($dir)"
    # CC only matters when the tree is configured the first time; an existing
    # tree keeps the compiler it was made with.
    if ! CC=$compiler cmake -S . -B "$dir" -G Ninja "$@"; then
        summary+=("$name: configure FAILED")
        failed=1
        return
    fi
    echo "=== $name: build"
    if ! cmake --build "$dir"; then
        summary+=("$name: build FAILED")
        failed=1
        return
    fi
    echo "=== $name: test"
    (cd "$dir" && ctest --output-on-failure -j2 "${ctest_args[@]}") 2>&1 | tee "$log"
    local rc=${PIPESTATUS[0]}
    # ctest's own one-line verdict, e.g. "100% tests passed, 0 tests failed out of 12"
    local verdict
    verdict=$(grep -E 'tests passed|No tests were found' "$log" | tail -n 1)
    # ctest counts skipped tests (exit 77, missing tools) as passed: say how many.
    local skipped
    skipped=$(grep -c -- '\*\*\*Skipped' "$log" || true)
    if [ "$skipped" -gt 0 ]; then verdict="$verdict; $skipped skipped, see $log"; fi
    if [ "$rc" -ne 0 ]; then
        summary+=("$name: tests FAILED (${verdict:-ctest exit $rc})")
        failed=1
    else
        summary+=("$name: ok (${verdict:-ctest exit 0})")
    fi
}

ctest_args=("$@")

# NATS is a build option that defaults to "on when libnats is found"; the
# suite insists on it, so a missing libnats fails here instead of silently
# skipping the NATS tests.
run_tree "normal (gcc)" "${ISORUN_BUILD_DIR:-build}" gcc -DCMAKE_BUILD_TYPE=Release -DISORUN_NATS=ON
run_tree "asan+ubsan (clang)" "${ISORUN_ASAN_BUILD_DIR:-build-asan}" clang \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DISORUN_SANITIZE=ON -DISORUN_NATS=ON

echo
echo "=== summary"
for line in "${summary[@]}"; do echo "  $line"; done
if [ "$failed" -ne 0 ]; then
    echo "test.sh: FAILED"
    exit 1
fi
echo "test.sh: all passed"
