#!/usr/bin/env bash
# cli_tests.sh — process-level tests of the isorun command.
#
#   cli_tests.sh CASE ISORUN CLI_GUEST_DIR GUEST_DIR
#
# Each CASE is a function below (CTest registers one test per case). A case
# runs isorun as a user would and asserts the exit status, stdout and
# stderr together. All failures of a case are listed; exit 1 if any, 77 when
# the case cannot run here (a guest was not built), 0 otherwise.
set -u

CASE=$1
ISORUN=$2
G=$3      # tests/cli guests
CORE=$4   # tests/guests (shared test guests)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# ---- helpers ----------------------------------------------------------------

# shellcheck source=harness.sh
source "$(dirname "${BASH_SOURCE[0]}")/harness.sh"

# ok ARGS... : a run that must succeed with no stderr and print $EXPECT.
invoke_prints() {
    local expected=$1
    shift
    run run --invoke "$@"
    expect_status 0
    expect_out "$expected"
    expect_no_err
}


# ---- cases ------------------------------------------------------------------

case_help() {
    run --help
    expect_status 0
    expect_out_has_line "  isorun run [OPTIONS] FILE.wasm [ARGS...]    run a WASI command (or --invoke an export)"
    grep -q "125" "$TMP/out" && grep -q "134" "$TMP/out" || fail "the help must document the exit statuses"
    run run --help
    expect_status 0
    expect_no_err
    for flag in --invoke --dir --env --env-inherit --allow --max-memory --fuel --timeout --max-stack; do
        grep -qE "^  $flag( |$)" "$TMP/out" || fail "isorun run --help must describe $flag"
    done
    grep -qE "^  clocks " "$TMP/out" && grep -qE "^  random " "$TMP/out" || fail "the help must list the capabilities"
    [[ $(awk 'length > 80' "$TMP/out") == "" ]] || fail "help lines must fit 80 columns"
    run run -h
    expect_status 0
    run --version
    expect_status 0
    [[ $OUT =~ ^isorun\ [0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "expected 'isorun X.Y.Z'"
    run
    expect_status 125
    run frobnicate
    expect_status 125
    expect_err_line 'unknown command "frobnicate"'
}

case_bad_flags() {
    need "$G/cli_values.wasm"
    local m=$G/cli_values.wasm
    local -a cases=(
        "--fuel abc|--fuel"
        "--fuel 0|--fuel"
        "--fuel -5|--fuel"
        "--fuel 1.5|--fuel"
        "--max-memory 12Q|--max-memory"
        "--max-memory 0|--max-memory"
        "--max-memory -1M|--max-memory"
        "--timeout 5x|--timeout"
        "--timeout 0|--timeout"
        "--timeout -1s|--timeout"
        "--max-stack 0|--max-stack"
        "--max-stack 99999999999|--max-stack"
        "--allow bogus|unknown capability \"bogus\""
        "--allow clocks,,nope|unknown capability"
        "--env NOEQUALS|--env wants NAME=VALUE"
        "--env =x|--env wants NAME=VALUE"
        "--dir ::guest|--dir wants"
        "--dir host::|--dir wants"
        "--evn A=1|did you mean --env\\?"
        "--max-stak 5|did you mean --max-stack\\?"
        "--frobnicate|unknown option \"--frobnicate\""
        "--env-inherit=yes|--env-inherit takes no value"
    )
    for c in "${cases[@]}"; do
        local flags=${c%%|*} pattern=${c#*|}
        # shellcheck disable=SC2086 # the flags are meant to split
        run run $flags "$m"
        expect_status 125
        expect_no_out
        expect_err_line "$pattern"
    done
    run run --invoke
    expect_status 125
    expect_err_line "--invoke needs a value"
    run run
    expect_status 125
    expect_err_line "no module given"
    run run --fuel 10
    expect_status 125
    expect_err_line "no module given"
    run run "$TMP/does-not-exist.wasm"
    expect_status 125
    expect_err_line "does-not-exist.wasm.*(No such file|cannot)"
    echo "not wasm" >"$TMP/text.wasm"
    run run "$TMP/text.wasm"
    expect_status 125
    expect_err_line "text.wasm"
    # SIMD code runs; a v128 result cannot be printed, and that is said.
    need "$G/cli_simd.wasm"
    run run --invoke dot4 "$G/cli_simd.wasm" 3 5
    expect_status 0
    expect_out 60
    run run --invoke vec "$G/cli_simd.wasm"
    expect_status 125
    expect_err_line "vec has a result of type v128: only i32, i64, f32 and f64"
    # The forms that are accepted.
    for flags in "--fuel 1e9" "--fuel=1000000" "--max-memory 64M" "--max-memory 65536" "--max-memory=1G" \
        "--timeout 500ms" "--timeout=2s" "--timeout 1m" "--max-stack 500" "--allow clocks,random" \
        "--allow clocks --allow random" "--env A=1 --env-inherit"; do
        # shellcheck disable=SC2086
        run run $flags --invoke i32 "$m" 7
        expect_status 0
        expect_out 7
    done
    # "--" ends the flags (for a module whose name starts with '-').
    run run --invoke i32 -- "$m" 7
    expect_status 0
    expect_out 7
}

case_exit_codes() {
    need "$G/cli_exit.wasm"
    local m=$G/cli_exit.wasm
    for code in 0 1 3 42 124 255; do
        run run "$m" "$code"
        expect_status "$code"
        expect_no_err
    done
    run run "$m" 256 # the OS keeps 8 bits, as for a native program
    expect_status 0
    run run "$m" 7 "two words" ""
    expect_status 7
    expect_out "argv[0] = $m
argv[1] = 7
argv[2] = two words
argv[3] = "
    # proc_exit in the start function or in _initialize ends the program
    # there, also with status 0: nothing else of it runs.
    need "$G/cli_early_exit.wasm" "$G/cli_exit_in_init.wasm"
    run run "$G/cli_early_exit.wasm"
    expect_status 0
    expect_no_err
    run run --invoke f "$G/cli_exit_in_init.wasm"
    expect_status 5
    expect_no_out
    expect_no_err
    # Flags after FILE belong to the guest.
    run run "$m" 5 --fuel 1
    expect_status 5
    expect_out_has_line "argv[2] = --fuel"
}

case_traps() {
    need "$CORE/traps.wasm" "$G/cli_named_trap.wasm" "$CORE/start_trap.wasm"
    run run --invoke unreachable "$CORE/traps.wasm"
    expect_status 134
    expect_no_out
    expect_err_line "^isorun: trap: unreachable( \(in function [^)]+\))?$"
    run run --invoke div_s "$CORE/traps.wasm" 1 0
    expect_status 134
    expect_err_line "^isorun: trap: integer divide by zero"
    run run --invoke div_s "$CORE/traps.wasm" -2147483648 -1
    expect_status 134
    expect_err_line "^isorun: trap: integer overflow"
    run run --invoke load "$CORE/traps.wasm" 70000
    expect_status 134
    expect_err_line "^isorun: trap: out of bounds memory access"
    # With a name section the line names the function that trapped.
    run run --invoke boom "$G/cli_named_trap.wasm"
    expect_status 134
    expect_err_line "^isorun: trap: unreachable \(in function \\\$?explode\)$"
    run run --invoke divide "$G/cli_named_trap.wasm" 1 0
    expect_status 134
    expect_err_line "^isorun: trap: integer divide by zero \(in function [^)]+\)$"
    # A trap in the start function is the guest's trap too.
    run run "$CORE/start_trap.wasm"
    expect_status 134
    expect_err_line "^isorun: trap: "
}

case_invoke_integers() {
    need "$G/cli_values.wasm"
    local m=$G/cli_values.wasm
    invoke_prints 0 i32 "$m" 0
    invoke_prints -1 i32 "$m" -1
    invoke_prints -1 i32 "$m" 4294967295 # the unsigned spelling of the same bits
    invoke_prints 2147483647 i32 "$m" 0x7fffffff
    invoke_prints -2147483648 i32 "$m" 2147483648
    invoke_prints -2147483648 i32 "$m" -2147483648
    invoke_prints 255 i32 "$m" 0xFF
    invoke_prints -9223372036854775808 i64 "$m" -9223372036854775808
    invoke_prints 9223372036854775807 i64 "$m" 9223372036854775807
    invoke_prints -1 i64 "$m" 18446744073709551615
    invoke_prints 4294967296 i64 "$m" 4294967296
    invoke_prints -42 i64 "$m" -42
    for bad in 4294967296 -2147483649 1.5 abc "" " 1" +1 1x 0x; do
        run run --invoke i32 "$m" "$bad"
        expect_status 125
        expect_err_line "argument 1 of i32: \".*\" is not a valid i32"
    done
    for bad in 18446744073709551616 -9223372036854775809 1e3; do
        run run --invoke i64 "$m" "$bad"
        expect_status 125
        expect_err_line "is not a valid i64"
    done
}

case_invoke_floats() {
    need "$G/cli_values.wasm"
    local m=$G/cli_values.wasm
    invoke_prints 1.5 f32 "$m" 1.5
    invoke_prints 0.1 f32 "$m" 0.1
    invoke_prints -2.25 f32 "$m" -2.25
    invoke_prints -0 f32 "$m" -0
    invoke_prints 3.4028235e+38 f32 "$m" 3.4028235e38
    invoke_prints 1e-45 f32 "$m" 1e-45
    invoke_prints inf f32 "$m" inf
    invoke_prints -inf f32 "$m" -inf
    invoke_prints inf f32 "$m" 1e40 # rounds to infinity, as a wasm literal would
    invoke_prints nan f32 "$m" nan
    invoke_prints -nan f32 "$m" -nan
    invoke_prints nan:0x200000 f32 "$m" nan:0x200000
    invoke_prints 2143289344 f32_bits "$m" nan       # 0x7fc00000: the canonical NaN
    invoke_prints -4194304 f32_bits "$m" -nan        # 0xffc00000
    invoke_prints 2139095041 f32_bits "$m" nan:0x1   # 0x7f800001
    invoke_prints 1065353216 f32_bits "$m" 1         # 0x3f800000
    invoke_prints 1036831949 f32_bits "$m" 0.1       # 0x3dcccccd: rounded once, from decimal
    invoke_prints nan:0x1 f32_of_bits "$m" 0x7f800001
    invoke_prints -nan:0x1 f32_of_bits "$m" 0xff800001
    invoke_prints 0.1 f64 "$m" 0.1
    invoke_prints 1e+308 f64 "$m" 1e308
    invoke_prints -2.5 f64 "$m" -2.5
    invoke_prints 5e-324 f64 "$m" 4.9406564584124654e-324 # the shortest form that reads back
    invoke_prints 3.141592653589793 f64 "$m" 3.14159265358979311599796346854
    invoke_prints 255 f64 "$m" 0xff.0p0
    invoke_prints 4591870180066957722 f64_bits "$m" 0.1
    invoke_prints 9221120237041090560 f64_bits "$m" nan # 0x7ff8000000000000
    invoke_prints nan:0x1 f64_of_bits "$m" 0x7ff0000000000001
    invoke_prints -0 f64_of_bits "$m" 0x8000000000000000
    invoke_prints inf div_f64 "$m" 1 0
    invoke_prints -inf div_f64 "$m" -1 0
    run run --invoke div_f64 "$m" 0 0
    expect_status 0
    [[ $OUT == nan || $OUT == -nan ]] || fail "0/0 must print as a NaN"
    invoke_prints "4.25
3.5
2
1" swap4 "$m" 1 2 3.5 4.25
    run run --invoke nothing "$m"
    expect_status 0
    expect_no_out
    expect_no_err
    for bad in abc 1.5x "" " 1" 0x nan:0x0 nan:0x800000; do
        run run --invoke f32 "$m" "$bad"
        expect_status 125
        expect_err_line "is not a valid f32"
    done
    run run --invoke f64 "$m" nan:0x10000000000000
    expect_status 125
    expect_err_line "is not a valid f64"
}

case_invoke_errors() {
    need "$G/cli_values.wasm" "$CORE/textlib.wasm"
    local m=$G/cli_values.wasm
    run run --invoke i32 "$m"
    expect_status 125
    expect_err_line "i32 takes 1 argument, 0 given"
    run run --invoke swap4 "$m" 1 2
    expect_status 125
    expect_err_line "swap4 takes 4 arguments, 2 given"
    run run --invoke no_such "$m"
    expect_status 125
    expect_err_line "exports no function \"no_such\"; it exports: i32, i64"
    run run --invoke takes_ref "$m" null
    expect_status 125
    expect_err_line "takes_ref has a parameter of type externref: only i32, i64, f32 and f64"
    # A library without _start says how to call it.
    run run "$CORE/textlib.wasm"
    expect_status 125
    expect_err_line "exports no _start: use --invoke NAME .*add"
}

case_invoke_reactor() {
    need "$G/cli_reactor.wasm" "$CORE/textlib.wasm"
    invoke_prints 42 ready "$G/cli_reactor.wasm"
    # clang's reactor: _initialize runs the C constructors first.
    invoke_prints 5 add "$CORE/textlib.wasm" 2 3
    invoke_prints 5050 sum_check "$CORE/textlib.wasm" 100
}

case_env() {
    need "$G/cli_env.wasm"
    local m=$G/cli_env.wasm
    RUN_ENV=(SECRET_TOKEN=hunter2 HOME=/root)
    run run "$m"
    expect_status 0
    expect_out "0 variables"
    run run --env A=1 --env "B=x=y" --env "C=" "$m"
    expect_status 0
    expect_out "A=1
B=x=y
C=
3 variables"
    run run --env-inherit "$m"
    expect_status 0
    expect_out_has_line "SECRET_TOKEN=hunter2"
    expect_out_has_line "HOME=/root"
    run run --env-inherit --env SECRET_TOKEN=replaced "$m"
    expect_status 0
    expect_out_has_line "SECRET_TOKEN=replaced"
    expect_out_lacks "hunter2"
    [[ $(grep -c '^SECRET_TOKEN=' "$TMP/out") == 1 ]] || fail "--env must replace an inherited variable, not repeat it"
    RUN_ENV=()
}

case_allow() {
    need "$G/cli_capabilities.wasm"
    local m=$G/cli_capabilities.wasm
    run run "$m"
    expect_status 0
    expect_out "clocks: errno 76
random: errno 76"
    run run --allow clocks "$m"
    expect_status 0
    expect_out "clocks: ok
random: errno 76"
    run run --allow random "$m"
    expect_out "clocks: errno 76
random: ok"
    run run --allow clocks,random "$m"
    expect_out "clocks: ok
random: ok"
    run run --allow random --allow clocks "$m"
    expect_out "clocks: ok
random: ok"
}

case_fuel() {
    need "$G/cli_budget.wasm" "$CORE/hello.wasm"
    local m=$G/cli_budget.wasm
    run run --fuel 1000 --invoke spin "$m"
    expect_status 134
    expect_err_line "^isorun: trap: out of fuel"
    run run --fuel 1e9 --invoke count "$m" 100000
    expect_status 0
    expect_out 100000
    run run --fuel 1000 --invoke count "$m" 100000
    expect_status 134
    expect_err_line "out of fuel"
    run run --fuel 1e9 "$CORE/hello.wasm" x
    expect_status 1
    expect_out_has_line "argument 1: x"
    run run --fuel 10 "$CORE/hello.wasm"
    expect_status 134
    expect_err_line "out of fuel"
}

case_timeout() {
    need "$G/cli_budget.wasm"
    local m=$G/cli_budget.wasm start end
    start=$(date +%s%N)
    run run --timeout 200ms --invoke spin "$m"
    end=$(date +%s%N)
    expect_status 134
    expect_err_line "^isorun: trap: deadline exceeded"
    local ms=$(((end - start) / 1000000))
    ((ms >= 190)) || fail "stopped after ${ms} ms, before the 200 ms timeout"
    ((ms < 20000)) || fail "took ${ms} ms to stop a 200 ms timeout"
    run run --timeout 30s --invoke count "$m" 1000
    expect_status 0
    expect_out 1000
}

# A guest blocked reading an idle stdin (a FIFO this script holds open for
# writing, so no end of file comes) is stopped by --timeout as a running one
# is, and data that is there is read.
case_timeout_stdin() {
    need "$G/cli_stdin.wasm"
    local m=$G/cli_stdin.wasm
    mkfifo "$TMP/stdin" || { fail "mkfifo"; return; }
    exec 3<>"$TMP/stdin"
    RUN_STDIN=$TMP/stdin
    RUN_LIMIT=20
    run run --timeout 300ms "$m"
    expect_status 134
    expect_err_line "^isorun: trap: deadline exceeded: while the guest waited in .*fd_read"
    printf 'hello\n' >&3
    run run --timeout 300ms "$m"
    expect_status 0
    expect_out "read 6 bytes"
    exec 3>&-
    RUN_STDIN=/dev/null
    RUN_LIMIT=
}

case_max_stack() {
    need "$G/cli_budget.wasm"
    local m=$G/cli_budget.wasm
    invoke_prints 1000 depth "$m" 1000
    run run --max-stack 100 --invoke depth "$m" 50
    expect_status 0
    expect_out 50
    run run --max-stack 100 --invoke depth "$m" 1000
    expect_status 134
    expect_err_line "^isorun: trap: call stack exhausted"
    # The default depth bounds runaway recursion too: a trap, not a crash.
    run run --invoke depth "$m" 100000000
    expect_status 134
    expect_err_line "call stack exhausted"
}

case_max_memory() {
    need "$G/cli_budget.wasm" "$G/cli_big_memory.wasm" "$G/cli_grow.wasm"
    run run --max-memory 1M --invoke grow_all "$G/cli_budget.wasm"
    expect_status 0
    expect_out 16
    run run --max-memory 65536 --invoke grow_all "$G/cli_budget.wasm"
    expect_status 0
    expect_out 1
    run run --max-memory 64M --invoke pages "$G/cli_big_memory.wasm"
    expect_status 0
    expect_out 100
    # Too small for the module's initial memory: an instantiation error.
    run run --max-memory 1M --invoke pages "$G/cli_big_memory.wasm"
    expect_status 125
    expect_err_line "cli_big_memory.wasm: .*(memory|limit)"
    # A C program sees malloc fail and carries on.
    run run --max-memory 16M "$G/cli_grow.wasm"
    expect_status 0
    [[ $OUT =~ ^allocated\ ([0-9]+)\ MiB$ ]] || fail "expected 'allocated N MiB'"
    local mib=${BASH_REMATCH[1]:-99}
    ((mib >= 8 && mib < 16)) || fail "allocated $mib MiB under a 16 MiB cap"
}

case_missing_import() {
    need "$G/cli_missing_import.wasm" "$G/cli_bad_wasi_imports.wasm" "$G/cli_mistyped_wasi.wasm"
    run run "$G/cli_missing_import.wasm"
    expect_status 125
    expect_no_out
    expect_err_line '"env"\."missing_function" \(i32 -> i32\), which nothing provides'
    run run "$G/cli_bad_wasi_imports.wasm"
    expect_status 125
    expect_err_line '"no_such_call" \(i32 -> i32\): not a WASI preview 1 function isorun provides'
    run run "$G/cli_mistyped_wasi.wasm"
    expect_status 125
    expect_err_line '"clock_time_get" \(i32 -> i32\): .*\(i32 i64 i32 -> i32\)$'
    run run --allow clocks "$G/cli_mistyped_wasi.wasm"
    expect_status 125
    # Names with control characters (ESC, newline) come out escaped, on one line.
    need "$G/cli_hostile_names.wasm"
    run run "$G/cli_hostile_names.wasm"
    expect_status 125
    expect_err_line '"env\\x1b\[31m"\."evil\\x0aname" \(i32 ->\), which nothing provides'
    ! grep -q $'\x1b' "$TMP/err" || fail "an ESC from the guest's names reached the terminal"
}

# `isorun inspect`: what a module asks for, without running it — each WASI
# import with the --allow it needs, imports isorun cannot satisfy and why,
# links, exports; the same as JSON; errors for bad input.
case_inspect() {
    need "$G/cli_capabilities.wasm" "$G/cli_mistyped_wasi.wasm" "$G/cli_bad_wasi_imports.wasm" \
        "$G/cli_missing_import.wasm" "$G/cli_reactor.wasm"
    run inspect "$G/cli_capabilities.wasm"
    expect_status 0
    expect_no_err
    grep -qE "^$G/cli_capabilities.wasm: command module, [0-9]+ bytes" "$TMP/out" || fail "the first line says the kind"
    grep -qE '^    clock_time_get +i32 i64 i32 -> i32 +returns ENOTCAPABLE \(76\) without --allow clocks$' "$TMP/out" ||
        fail "clock_time_get needs --allow clocks"
    grep -qE '^    random_get +i32 i32 -> i32 +returns ENOTCAPABLE \(76\) without --allow random$' "$TMP/out" ||
        fail "random_get needs --allow random"
    grep -qE '^    fd_write +i32 i32 i32 i32 -> i32$' "$TMP/out" || fail "fd_write is granted with the component"
    grep -qE '^  _start +->$' "$TMP/out" || fail "the _start export is listed"
    run inspect "$G/cli_mistyped_wasi.wasm"
    expect_status 0
    grep -qF "wrong type: WASI's is (i32 i64 i32 -> i32)" "$TMP/out" || fail "a mistyped WASI import is named"
    run inspect "$G/cli_bad_wasi_imports.wasm"
    grep -qF "not a WASI preview 1 function isorun provides" "$TMP/out" || fail "an unknown WASI import is named"
    run inspect "$G/cli_missing_import.wasm"
    expect_out_has_line "  env (isorun run needs --link env=FILE.wasm or ADDRESS/ID)"
    run inspect "$G/cli_reactor.wasm"
    grep -q "reactor module" "$TMP/out" || fail "a module exporting _initialize is a reactor"
    expect_out_has_line "  none: it can touch nothing outside itself"

    need "$G/cli_big_memory.wasm" "$CORE/hostile_imports.wasm"
    run inspect "$G/cli_big_memory.wasm"
    grep -qE '^  memory +memory, 100 pages \(6400 KiB\), no maximum' "$TMP/out" || fail "an exported memory's limits"
    run inspect "$CORE/hostile_imports.wasm"
    grep -qE '^    memory +memory, 1 pages \(64 KiB\), growing to 2 pages \(128 KiB\) at most; only functions' \
        "$TMP/out" || fail "an imported memory's limits, and that it cannot be provided"
    grep -qE '^    table +table, 2 elements, growing to 10 at most; only functions' "$TMP/out" ||
        fail "an imported table's limits"
    run inspect --json "$CORE/hostile_imports.wasm"
    grep -qF '"name":"memory","kind":"memory","provided_by":"none","min":1,"max":2,"instantiable":false' "$TMP/out" ||
        fail "JSON limits of an imported memory"
    run inspect --json "$G/cli_big_memory.wasm"
    grep -qF '"name":"memory","kind":"memory","min":100,"max":null' "$TMP/out" || fail "JSON limits of an exported memory"

    run inspect --json "$G/cli_mistyped_wasi.wasm"
    expect_status 0
    expect_no_err
    grep -qF '"provided_by":"wasi-wrong-type","wasi_type":"i32 i64 i32 -> i32","instantiable":false' "$TMP/out" ||
        fail "the JSON says the import is mistyped"
    run inspect --json "$G/cli_capabilities.wasm"
    grep -qF '"name":"random_get","kind":"function","type":"i32 i32 -> i32","provided_by":"wasi","needs_allow":"random","instantiable":true' "$TMP/out" ||
        fail "the JSON says random_get needs --allow random"
    if command -v node >/dev/null; then
        node -e 'JSON.parse(require("fs").readFileSync(0, "utf8"))' <"$TMP/out" || fail "--json must print valid JSON"
    fi

    need "$G/cli_hostile_names.wasm"
    run inspect "$G/cli_hostile_names.wasm"
    expect_status 0
    expect_out_has_line '  env\x1b[31m (isorun run needs --link env\x1b[31m=FILE.wasm or ADDRESS/ID)'
    grep -qE '^  bell\\x07 +->$' "$TMP/out" || fail "an export name with BEL is escaped"
    ! grep -q $'[\x07\x1b]' "$TMP/out" || fail "control characters from the guest's names reached the terminal"
    run inspect --json "$G/cli_hostile_names.wasm"
    grep -qF '"module":"env\u001b[31m","name":"evil\u000aname"' "$TMP/out" || fail "JSON escapes control characters"

    run inspect
    expect_status 125
    expect_err_line "no FILE.wasm given"
    run inspect --frob "$G/cli_reactor.wasm"
    expect_status 125
    expect_err_line "unknown option --frob"
    echo "not wasm" >"$TMP/bad.wasm"
    run inspect "$TMP/bad.wasm"
    expect_status 125
    expect_err_line "bad.wasm"
    run inspect "$TMP/missing.wasm"
    expect_status 125
    expect_err_line "missing.wasm"
    run inspect --help
    expect_status 0
    [[ $(awk 'length > 80' "$TMP/out") == "" ]] || fail "help lines must fit 80 columns"
}

case_dirs() {
    need "$G/cli_files.wasm"
    local m=$G/cli_files.wasm host=$TMP/host
    mkdir -p "$host/sub"
    echo -n "host text" >"$host/given.txt"
    run run --dir "$host::/data" "$m" read /data/given.txt
    if grep -q "no filesystem yet" "$TMP/err"; then
        echo "SKIP: this build's WASI layer has no filesystem yet"
        exit 77
    fi
    expect_status 0
    expect_out "host text"
    run run --dir "$host::/data" "$m" write /data/new.txt "written by the guest"
    expect_status 0
    [[ $(cat "$host/new.txt" 2>/dev/null) == "written by the guest" ]] || fail "the file must appear on the host"
    run run --dir "$host::/data" "$m" list /data
    expect_out "given.txt
new.txt
sub"
    # GUEST defaults to HOST.
    run run --dir "$host" "$m" read "$host/given.txt"
    expect_status 0
    expect_out "host text"
    # Read-only: reading works, every write is refused, the host is untouched.
    run run --dir "$host::/data:ro" "$m" read /data/given.txt
    expect_status 0
    expect_out "host text"
    run run --dir "$host::/data:ro" "$m" write /data/given.txt "changed"
    expect_status 1
    expect_out_has_line "error: open: Read-only file system"
    [[ $(cat "$host/given.txt") == "host text" ]] || fail "a read-only mount must not change the host file"
    run run --dir "$host::/data:ro" "$m" write /data/other.txt "x"
    expect_status 1
    [[ ! -e $host/other.txt ]] || fail "a read-only mount must not create files"
    # Two mounts, one of them read-only.
    mkdir -p "$TMP/out2"
    run run --dir "$host::/in:ro" --dir "$TMP/out2::/out" "$m" write /out/x.txt "two mounts"
    expect_status 0
    [[ $(cat "$TMP/out2/x.txt" 2>/dev/null) == "two mounts" ]] || fail "the second mount must be writable"
    # Nothing mounted: nothing reachable (wasi-libc finds no preopen for the
    # path and says ENOTCAPABLE).
    run run "$m" read "$host/given.txt"
    expect_status 1
    expect_out_has_line "error: open: Capabilities insufficient"
    # Outside the mount is out of reach.
    run run --dir "$host/sub::/data" "$m" read /data/../given.txt
    expect_status 1
    expect_out_lacks "host text"
    # A HOST that does not exist is isorun's error, not the guest's.
    run run --dir "$TMP/nope::/data" "$m" list /data
    expect_status 125
    expect_err_line "nope"
}

# ---- main -------------------------------------------------------------------

run_case cli_tests.sh
