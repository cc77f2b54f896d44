#!/usr/bin/env bash
# native_tests.sh — the isorun command's native tier (`run --native`,
# `run --native-cache DIR`, `compile`) against the interpreter.
#
#   native_tests.sh CASE ISORUN CLI_GUEST_DIR GUEST_DIR PROGRAMS_WASM_DIR PROGRAMS_SRC_DIR CACHE_DIR COUNTING_CC
#
# CACHE_DIR is the build tree's shared cache of native objects; cases that
# need an empty or broken cache make their own. COUNTING_CC is a compiler
# wrapper that appends a line to $ISORUN_TEST_CC_COUNTER per run. Exit 1 if
# any check of the case failed, 77 when a guest it needs was not built.
set -u

CASE=$1
ISORUN=$2
G=$3        # tests/cli guests
CORE=$4     # tests/guests
PROGRAMS=$5 # tests/programs wasm builds
SRC=$6      # tests/programs sources
CACHE=$7
COUNTING_CC=$8
TMP=$(mktemp -d)
SERVER_PID= # a server a case started, stopped on any exit
trap '[[ -n $SERVER_PID ]] && kill "$SERVER_PID" 2>/dev/null; rm -rf "$TMP"' EXIT
# shellcheck source=harness.sh
source "$(dirname "${BASH_SOURCE[0]}")/harness.sh"

# both ARGS... : runs `isorun run ARGS` interpreted and then natively; the
# exit status, stdout and stderr must be byte for byte the same. Leaves the
# native run's in STATUS, $TMP/out, $TMP/err.
both() {
    run run "$@"
    local interp_status=$STATUS
    mv "$TMP/out" "$TMP/interp.out"
    mv "$TMP/err" "$TMP/interp.err"
    run run --native-cache "$CACHE" "$@"
    [[ $STATUS == "$interp_status" ]] || fail "exit status $STATUS natively, $interp_status interpreted"
    cmp -s "$TMP/out" "$TMP/interp.out" ||
        fail "stdout differs from the interpreter's ($(wc -c <"$TMP/out") and $(wc -c <"$TMP/interp.out") bytes)"
    cmp -s "$TMP/err" "$TMP/interp.err" || fail "stderr differs from the interpreter's: $(head -c 300 "$TMP/interp.err")"
}

# ---- cases ------------------------------------------------------------------

# The LZ77 + Huffman compressor: its self-test, and a real stream compressed
# and decompressed, natively and interpreted.
case_izip() {
    need "$PROGRAMS/izip.wasm"
    both "$PROGRAMS/izip.wasm" selftest 300000
    expect_status 0
    expect_out_has_line "all round trips ok"
    for _ in 1 2 3; do cat "$SRC/izip.c" "$SRC/lisp.c" "$SRC/lisp/programs.lisp"; done >"$TMP/input"
    head -c 100000 "$PROGRAMS/izip.wasm" >>"$TMP/input"
    RUN_STDIN=$TMP/input
    both "$PROGRAMS/izip.wasm" c
    expect_status 0
    cp "$TMP/out" "$TMP/packed"
    (($(wc -c <"$TMP/packed") < $(wc -c <"$TMP/input") / 2)) || fail "compression did not halve the input"
    RUN_STDIN=$TMP/packed
    both "$PROGRAMS/izip.wasm" d
    expect_status 0
    cmp -s "$TMP/out" "$TMP/input" || fail "the native decompression is not the input"
    # A cut stream: the same error and status in both tiers.
    head -c 2000 "$TMP/packed" >"$TMP/cut"
    RUN_STDIN=$TMP/cut
    both "$PROGRAMS/izip.wasm" d
    expect_status 1
    RUN_STDIN=/dev/null
}

# The Lisp interpreter (a garbage collector, deep recursion) on its programs.
case_lisp() {
    need "$PROGRAMS/lisp.wasm"
    RUN_STDIN=$SRC/lisp/programs.lisp
    both "$PROGRAMS/lisp.wasm"
    expect_status 0
    expect_out_has_line "fib 18 = 2584"
    expect_out_has_line "collections ran: #t"
    echo '(display (car 5))' >"$TMP/bad.lisp"
    RUN_STDIN=$TMP/bad.lisp
    both "$PROGRAMS/lisp.wasm"
    expect_status 1
    RUN_STDIN=/dev/null
}

# Traps: status 134 and the same one-line message in both tiers.
case_traps() {
    need "$CORE/traps.wasm" "$G/cli_named_trap.wasm" "$G/cli_budget.wasm" "$CORE/start_trap.wasm"
    both --invoke unreachable "$CORE/traps.wasm"
    expect_status 134
    expect_err_line "^isorun: trap: unreachable"
    both --invoke div_s "$CORE/traps.wasm" 1 0
    expect_status 134
    expect_err_line "^isorun: trap: integer divide by zero"
    both --invoke load "$CORE/traps.wasm" 70000
    expect_status 134
    expect_err_line "^isorun: trap: out of bounds memory access"
    both --invoke call_slot "$CORE/traps.wasm" 1
    expect_status 134
    expect_err_line "^isorun: trap: indirect call type mismatch"
    both --invoke boom "$G/cli_named_trap.wasm"
    expect_status 134
    expect_err_line "^isorun: trap: unreachable \(in function \\\$?explode\)$"
    both --fuel 1000 --invoke spin "$G/cli_budget.wasm"
    expect_status 134
    expect_err_line "^isorun: trap: out of fuel"
    both --max-stack 100 --invoke depth "$G/cli_budget.wasm" 1000
    expect_status 134
    expect_err_line "^isorun: trap: call stack exhausted"
    both "$CORE/start_trap.wasm"
    expect_status 134
    # And values that come back.
    both --fuel 1e9 --invoke count "$G/cli_budget.wasm" 100000
    expect_status 0
    [[ $(cat "$TMP/out") == 100000 ]] || fail "expected 100000"
}

# `isorun compile` builds ahead of time; `run` then finds the object and does
# not run the compiler again (the same ISORUN_CC: it is part of the key).
case_compile() {
    need "$CORE/fib.wasm"
    local cache=$TMP/cache counter=$TMP/cc-runs
    RUN_ENV=(ISORUN_CC="$COUNTING_CC" ISORUN_TEST_CC_COUNTER="$counter")
    run compile --native-cache "$cache" "$CORE/fib.wasm"
    expect_status 0
    grep -qE "^$CORE/fib.wasm: native code ready \([0-9.]+ s\)$" "$TMP/out" || fail "expected 'FILE: native code ready'"
    [[ $(wc -l <"$counter" 2>/dev/null) == 1 ]] || fail "the compiler must have run once"
    [[ $(stat -c %a "$cache") == 700 ]] || fail "the cache directory must be created private (0700)"
    run run --native-cache "$cache" --invoke fib "$CORE/fib.wasm" 20
    expect_status 0
    [[ $(cat "$TMP/out") == 6765 ]] || fail "expected 6765"
    [[ $(wc -l <"$counter") == 1 ]] || fail "run after compile must not run the compiler again"
    run compile --native-cache "$cache" "$CORE/fib.wasm"
    expect_status 0
    [[ $(wc -l <"$counter") == 1 ]] || fail "compiling a built module again must not run the compiler"
    RUN_ENV=()
    # Bad input: not a module.
    echo "not wasm" >"$TMP/text.wasm"
    run compile --native-cache "$cache" "$TMP/text.wasm"
    expect_status 125
    expect_err_line "text.wasm"
}

# No usable compiler or cache: exit 125 with a line that says why.
case_errors() {
    need "$CORE/fib.wasm"
    RUN_ENV=(HOME="$TMP/home" ISORUN_CC=/nonexistent)
    run run --native --invoke fib "$CORE/fib.wasm" 10
    expect_status 125
    expect_err_line "/nonexistent"
    grep -q "C compiler" "$TMP/err" || fail "the message must say a C compiler is needed"
    run compile --native-cache "$TMP/cache" "$CORE/fib.wasm"
    expect_status 125
    expect_err_line "/nonexistent"
    # The default cache is under $HOME, created private.
    RUN_ENV=(HOME="$TMP/home")
    run run --native --invoke fib "$CORE/fib.wasm" 10
    expect_status 0
    [[ $(cat "$TMP/out") == 55 ]] || fail "expected 55"
    [[ -d $TMP/home/.cache/isorun/native ]] || fail "expected the default cache in \$HOME/.cache/isorun/native"
    # A cache directory others may write to is refused.
    mkdir "$TMP/open" && chmod 0777 "$TMP/open"
    RUN_ENV=()
    run run --native-cache "$TMP/open" --invoke fib "$CORE/fib.wasm" 10
    expect_status 125
    expect_err_line "$TMP/open.*writable by no one else"
    # Neither HOME nor XDG_CACHE_HOME: no default cache.
    run run --native --invoke fib "$CORE/fib.wasm" 10
    expect_status 125
    expect_err_line "cache directory"
}

# `isorun serve --native-cache`: a provider served natively answers a
# consumer linked to it remotely (native too) exactly as the interpreted
# pair does; the server builds in the background and says when the instance
# runs native code; --native for only some served instances is refused.
case_serve() {
    need "$CORE/stats_provider.wasm" "$CORE/report.wasm"
    mkdir "$TMP/data"
    seq 1 1000 >"$TMP/data/numbers.txt"
    local mode
    for mode in interp native; do
        local flags=()
        # A cache of its own: afterwards it must hold both modules' objects.
        [[ $mode == native ]] && mkdir -m 700 "$TMP/ncache" && flags=(--native-cache "$TMP/ncache")
        "$ISORUN" serve --listen tcp://127.0.0.1:0 "${flags[@]}" "$CORE/stats_provider.wasm" --as stats \
            2>"$TMP/serve-$mode.log" &
        local pid=$! address="" tries
        SERVER_PID=$pid
        for ((tries = 0; tries < 200; tries++)); do
            address=$(grep -oE 'tcp://127\.0\.0\.1:[0-9]+' "$TMP/serve-$mode.log" 2>/dev/null | head -n 1)
            [[ -n $address ]] && break
            sleep 0.05
        done
        if [[ -z $address ]]; then
            LAST="isorun serve ($mode)"
            fail "the server did not start: $(cat "$TMP/serve-$mode.log")"
            kill "$pid" 2>/dev/null
            wait "$pid" 2>/dev/null
            continue
        fi
        run run "${flags[@]}" --dir "$TMP/data::/data" --link "example:stats/ops=$address/stats" \
            "$CORE/report.wasm" /data/numbers.txt /data/report.txt
        expect_status 0
        cp "$TMP/out" "$TMP/out-$mode"
        mv "$TMP/data/report.txt" "$TMP/report-$mode.txt"
        kill -INT "$pid"
        wait "$pid"
        STATUS=$?
        SERVER_PID=
        LAST="isorun serve ($mode) after SIGINT"
        expect_status 0
    done
    cmp -s "$TMP/out-interp" "$TMP/out-native" || { LAST="serve + run"; fail "native and interpreted output differ"; }
    local objects
    objects=$(find "$TMP/ncache" -name '*.so' | wc -l)
    ((objects == 2)) || { LAST="serve + run"; fail "expected 2 native objects (provider, consumer), found $objects"; }
    cmp -s "$TMP/report-interp.txt" "$TMP/report-native.txt" ||
        { LAST="serve + run"; fail "native and interpreted reports differ"; }
    grep -q "mean=" "$TMP/report-native.txt" || { LAST="serve + run"; fail "no report written"; }
    grep -q 'instance "stats" runs native code' "$TMP/serve-native.log" ||
        { LAST="isorun serve --native"; fail "no line saying the instance runs native code: $(cat "$TMP/serve-native.log")"; }
    ! grep -q 'native' "$TMP/serve-interp.log" ||
        { LAST="isorun serve"; fail "an interpreting server talks of native code: $(cat "$TMP/serve-interp.log")"; }
    run serve --listen tcp://127.0.0.1:0 --native-cache "$CACHE" "$CORE/stats_provider.wasm" --as a \
        "$CORE/stats_provider.wasm" --as b
    expect_status 125
    expect_err_line "--native applies to every served instance"
}

# `isorun compile -o` writes a precompiled module; `run --precompiled` runs
# it with no compiler and no cache, as the .wasm runs interpreted. Objects
# are never taken for WebAssembly, nor foreign ones for ours.
case_precompiled() {
    need "$PROGRAMS/izip.wasm"
    run compile --native-cache "$CACHE" "$PROGRAMS/izip.wasm" -o "$TMP/izip.so"
    expect_status 0
    [[ -x $TMP/izip.so ]] || fail "expected the object at $TMP/izip.so"
    run run "$PROGRAMS/izip.wasm" selftest 30000
    cp "$TMP/out" "$TMP/out-interp"
    local interp_status=$STATUS
    RUN_ENV=(ISORUN_CC=/nonexistent) # no compiler, no HOME: nothing to build with
    run run --precompiled "$TMP/izip.so" selftest 30000
    expect_status "$interp_status"
    cmp -s "$TMP/out" "$TMP/out-interp" || fail "precompiled output differs from the interpreter's"
    RUN_ENV=()
    run run "$TMP/izip.so" selftest 30000
    expect_status 125
    expect_err_line "is a native object.*--precompiled"
    # --precompiled trusts objects; a .wasm still loads as WebAssembly.
    run run --precompiled "$PROGRAMS/izip.wasm" selftest 30000
    expect_status "$interp_status"
    cmp -s "$TMP/out" "$TMP/out-interp" || fail "a .wasm under --precompiled must run as usual"
    # A precompiled provider behind a local link: also only with --precompiled.
    need "$CORE/stats_provider.wasm" "$CORE/report.wasm"
    run compile --native-cache "$CACHE" "$CORE/stats_provider.wasm" -o "$TMP/provider.so"
    expect_status 0
    mkdir -p "$TMP/data" && seq 1 100 >"$TMP/data/n.txt"
    run run --dir "$TMP/data::/data" --link "example:stats/ops=$CORE/stats_provider.wasm" "$CORE/report.wasm" \
        /data/n.txt /data/r1.txt
    expect_status 0
    run run --dir "$TMP/data::/data" --link "example:stats/ops=$TMP/provider.so" "$CORE/report.wasm" /data/n.txt \
        /data/r2.txt
    expect_status 125
    expect_err_line "native object.*--precompiled"
    RUN_ENV=(ISORUN_CC=/nonexistent)
    run run --precompiled --dir "$TMP/data::/data" --link "example:stats/ops=$TMP/provider.so" "$CORE/report.wasm" \
        /data/n.txt /data/r2.txt
    expect_status 0
    RUN_ENV=()
    cmp -s "$TMP/data/r1.txt" "$TMP/data/r2.txt" || fail "a precompiled provider must answer as the .wasm does"
    run run --precompiled /usr/lib/x86_64-linux-gnu/libm.so.6
    if [[ -f /usr/lib/x86_64-linux-gnu/libm.so.6 ]]; then
        expect_status 125
        expect_err_line "not native code built by this version of isorun"
    fi
    run compile --native-cache "$CACHE" "$PROGRAMS/izip.wasm" "$PROGRAMS/izip.wasm" -o "$TMP/two.so"
    expect_status 125
    expect_err_line "-o takes one module"
}

run_case native_tests.sh
