#!/usr/bin/env bash
# bench/run.sh — builds isorun and the benchmark programs, runs each program
# under isorun, natively and under Node's WASI (plus wasm3, iwasm, wasmtime
# when they are on PATH), and prints the comparison table. See bench/README.md.
#
#   bench/run.sh [--runs N] [NAME...]         NAME: fib sieve matmul sha256 nbody wordcount
#   bench/run.sh --io [--runs N]              only start-up (hello) and stdout throughput (lines)
#   bench/run.sh --simd [--runs N] [NAME...]  only the programs, each built without and with
#                                             -msimd128: what SIMD buys under each engine
#
# Environment: ISORUN_BUILD_DIR (default: build), CC_NATIVE (gcc), CC_WASM (clang).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$ROOT/bench
OUT=$BENCH/out
BUILD=${ISORUN_BUILD_DIR:-$ROOT/build}
CC_NATIVE=${CC_NATIVE:-gcc}
CC_WASM=${CC_WASM:-clang}
RUNS=3
IO_ONLY=0
SIMD=0
ALL_PROGRAMS=(fib sieve matmul sha256 nbody wordcount)
PROGRAMS=()

while (($#)); do
    case $1 in
    --runs) RUNS=$2; shift 2 ;;
    --io) IO_ONLY=1; shift ;;
    --simd) SIMD=1; shift ;;
    -h | --help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
    *) PROGRAMS+=("$1"); shift ;;
    esac
done
if ((SIMD && IO_ONLY)); then echo "run.sh: --simd and --io are separate runs; give one" >&2; exit 2; fi
((${#PROGRAMS[@]} || IO_ONLY)) || PROGRAMS=("${ALL_PROGRAMS[@]}")
# The start-up and stdout programs, run after the table (not by --simd).
IO_PROGRAMS=(hello lines lines_write)
((SIMD)) && IO_PROGRAMS=()

# ---- build ------------------------------------------------------------------

echo "== building isorun in $BUILD" >&2
if [[ ! -f $BUILD/build.ninja ]]; then
    cmake -S "$ROOT" -B "$BUILD" -G Ninja >/dev/null
fi
ninja -C "$BUILD" isorun-cli >/dev/null
ISORUN=$BUILD/isorun

mkdir -p "$OUT/native" "$OUT/wasm" "$OUT/simd" "$OUT/results"

# compile SRC OUT CC FLAGS... : builds OUT when it is missing or older than
# SRC (libraries after the source, as the linker wants them).
compile() {
    local src=$1 out=$2 libs=()
    shift 2
    [[ $1 == "$CC_NATIVE" ]] && libs=(-lm)
    if [[ ! -f $out || $src -nt $out ]]; then
        "$@" -o "$out" "$src" "${libs[@]}"
    fi
}

# compile_two_step SRC OUT FLAGS... : builds OUT (a .wasm) when it is missing
# or older than SRC: compiles with FLAGS to OUT's .o, then links that with no
# optimisation level. Given -O when linking, clang 14 runs binaryen's wasm-opt
# (when it is on PATH) without --enable-simd, and wasm-opt rejects SIMD code;
# --simd builds both its variants this way, so they differ in -msimd128 alone.
compile_two_step() {
    local src=$1 out=$2
    shift 2
    if [[ ! -f $out || $src -nt $out ]]; then
        "$CC_WASM" --target=wasm32-wasi "$@" -c -o "${out%.wasm}.o" "$src"
        "$CC_WASM" --target=wasm32-wasi -s -o "$out" "${out%.wasm}.o"
    fi
}

echo "== compiling benchmark programs" >&2
for name in "${PROGRAMS[@]}" "${IO_PROGRAMS[@]}"; do
    src=$BENCH/programs/$name.c
    [[ -f $src ]] || src=$BENCH/$name.c
    [[ -f $src ]] || { echo "run.sh: no benchmark named $name" >&2; exit 2; }
    compile "$src" "$OUT/native/$name" "$CC_NATIVE" -O2
    if ((SIMD)); then
        compile_two_step "$src" "$OUT/simd/$name.scalar.wasm" -O2
        compile_two_step "$src" "$OUT/simd/$name.simd.wasm" -O2 -msimd128
    else
        compile "$src" "$OUT/wasm/$name.wasm" "$CC_WASM" --target=wasm32-wasi -O2 -s
    fi
done

# The guest's libc is wasi-libc, i.e. musl: with musl-gcc (Debian's
# musl-tools) lines.c is also built natively against musl, which separates
# what the engine costs from what the libc costs (musl's printf is slower
# than glibc's and its stdio buffer is 1 KiB to glibc's 4 KiB).
MUSL_CC=$(command -v musl-gcc || true)
if [[ -n $MUSL_CC ]] && ((!SIMD)); then
    compile "$BENCH/lines.c" "$OUT/native/lines.musl" "$MUSL_CC" -O2 -static
fi

# ---- engines ----------------------------------------------------------------

# Each engine: a column name and how to run a module ("$@" = FILE ARGS...).
run_isorun() { "$ISORUN" run "$@"; }
# The native tier, its objects built beforehand (below): the timings are of
# running, as after `isorun compile`; the build times are printed apart.
run_isorun-native() { "$ISORUN" run --native-cache "$OUT/native-cache" "$@"; }
# --single-threaded-gc: Node 20.20 intermittently segfaults (exit 139) after
# wordcount's run with V8's concurrent GC threads; single-threaded it does not.
run_node() { node --no-warnings --single-threaded-gc "$BENCH/node-wasi.mjs" "$@"; }
run_wasm3() { wasm3 "$@"; }
run_iwasm() { iwasm "$@"; }
run_wasmtime() { wasmtime run "$@"; }

ENGINES=(isorun isorun-native node)
for optional in wasm3 iwasm wasmtime; do
    if command -v "$optional" >/dev/null 2>&1; then ENGINES+=("$optional"); fi
done

echo "== building native code (isorun compile; cached in $OUT/native-cache)" >&2
mkdir -p "$OUT/native-cache" && chmod 700 "$OUT/native-cache"
for name in "${PROGRAMS[@]}" "${IO_PROGRAMS[@]}"; do
    if ((SIMD)); then
        modules=("$OUT/simd/$name.scalar.wasm" "$OUT/simd/$name.simd.wasm")
    else
        modules=("$OUT/wasm/$name.wasm")
    fi
    "$ISORUN" compile --native-cache "$OUT/native-cache" "${modules[@]}" | sed 's/^/   /' >&2
done

# ---- timing -----------------------------------------------------------------

# best_time OUTFILE CMD... : runs CMD $RUNS times (stdout to OUTFILE) and
# prints the best wall time in seconds, or "fail(STATUS)".
best_time() {
    local out=$1 best="" t status
    shift
    for ((r = 0; r < RUNS; r++)); do
        status=0
        t=$({ TIMEFORMAT=%3R; time "$@" >"$out" 2>"$out.stderr"; } 2>&1) || status=$?
        if ((status != 0)); then
            echo "fail($status)"
            return
        fi
        if [[ -z $best ]] || awk "BEGIN { exit !($t < $best) }"; then best=$t; fi
    done
    echo "$best"
}

ratio() { # a b -> a/b, or "-" when either is not a number
    awk -v a="$1" -v b="$2" 'BEGIN { if (a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/ && b > 0) printf "%.2f", a / b; else printf "-" }'
}

geomean() { # numbers... ("-" skipped)
    awk 'BEGIN { n = 0; s = 0 } { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9.]+$/ && $i > 0) { s += log($i); n++ } }
         END { if (n) printf "%.2f", exp(s / n); else printf "-" }' <<<"$*"
}

# ---- --simd: each program without and with -msimd128 --------------------------

# simd_ops FILE.wasm : how many SIMD instructions FILE's code holds ("?"
# without wasm-objdump): 0 means clang vectorized nothing in the program (the
# wasi-libc it links is built without SIMD, so its code never counts).
simd_ops() {
    command -v wasm-objdump >/dev/null 2>&1 || { echo "?"; return; }
    wasm-objdump -d "$1" | grep -cE '\b(v128|i8x16|i16x8|i32x4|i64x2|f32x4|f64x2)\.' || true
}

# faster BEST NEW : the smaller of two wall times ("" is no time yet); a
# failure, once seen, stays.
faster() {
    if [[ -z $1 || $2 == fail* ]]; then
        echo "$2"
    elif [[ $1 == fail* ]] || awk "BEGIN { exit !($1 <= $2) }"; then
        echo "$1"
    else
        echo "$2"
    fi
}

# best_times_alternating OUT ENGINE SCALAR SIMD : runs ENGINE on SCALAR, then
# on SIMD, $RUNS times (stdout to OUT.scalar and OUT.simd), so that both meet
# the same background load; prints both best wall times.
best_times_alternating() {
    local out=$1 engine=$2 scalar=$3 vector=$4 best_scalar="" best_simd="" r
    for ((r = 0; r < RUNS; r++)); do
        best_scalar=$(faster "$best_scalar" "$(RUNS=1 best_time "$out.scalar" "run_$engine" "$scalar")")
        best_simd=$(faster "$best_simd" "$(RUNS=1 best_time "$out.simd" "run_$engine" "$vector")")
    done
    echo "$best_scalar $best_simd"
}

if ((SIMD)); then
    declare -A SPEEDUPS SCALAR_RATIOS SIMD_RATIOS
    MISMATCHES=""
    row() { # one line of the table, without the blanks an empty last column leaves
        local line
        line=$(printf '%-10s %8s  %-14s %8s %8s %8s %14s %12s  %s' "$@")
        echo "${line%"${line##*[! ]}"}"
    }

    echo "== running (${RUNS} runs each, best wall time in seconds)" >&2
    echo "best wall time of $RUNS runs, s; scalar: clang -O2; simd: clang -O2 -msimd128 (each compiled,"
    echo "then linked without wasm-opt; the two runs alternate);"
    echo "speedup = scalar / simd time (above 1: the SIMD build is faster); native = gcc -O2;"
    echo "simd \"same\": -msimd128 changed not a byte of the module, so it ran once"
    row benchmark simd-ops engine scalar simd speedup scalar/native simd/native checksums
    for name in "${PROGRAMS[@]}"; do
        res=$OUT/results/$name
        scalar=$OUT/simd/$name.scalar.wasm
        vector=$OUT/simd/$name.simd.wasm
        native_t=$(best_time "$res.native" "$OUT/native/$name")
        row "$name" "$(simd_ops "$vector")" native "$native_t" - - - - -
        for e in "${ENGINES[@]}"; do
            if cmp -s "$scalar" "$vector"; then
                ts=$(best_time "$res.$e.scalar" "run_$e" "$scalar")
                cp "$res.$e.scalar" "$res.$e.simd"
                cp "$res.$e.scalar.stderr" "$res.$e.simd.stderr"
                tv=same speedup=1.00 rs=$(ratio "$ts" "$native_t")
                rv=$rs
                if [[ $ts == fail* ]]; then tv=$ts speedup=-; fi
            else
                read -r ts tv <<<"$(best_times_alternating "$res.$e" "$e" "$scalar" "$vector")"
                speedup=$(ratio "$ts" "$tv")
                rs=$(ratio "$ts" "$native_t")
                rv=$(ratio "$tv" "$native_t")
            fi
            SPEEDUPS[$e]+=" $speedup"
            SCALAR_RATIOS[$e]+=" $rs"
            SIMD_RATIOS[$e]+=" $rv"
            verdict=yes
            for build in scalar simd; do
                out=$res.$e.$build
                if [[ $ts == fail* && $build == scalar ]] || [[ $tv == fail* && $build == simd ]] ||
                    ! cmp -s "$res.native" "$out"; then
                    verdict=no
                    MISMATCHES+="  $name, $build build, under $e: expected \"$(head -c 200 "$res.native")\", got \"$(head -c 200 "$out")$(head -c 200 "$out.stderr")\""$'\n'
                fi
            done
            if [[ $ts != fail* && $tv != fail* ]] && ! cmp -s "$res.$e.scalar" "$res.$e.simd"; then
                MISMATCHES+="  $name under $e: the SIMD build printed something else than the scalar build"$'\n'
            fi
            row "$name" "" "$e" "$ts" "$tv" "$speedup" "$rs" "$rv" "$verdict"
        done
    done
    for e in "${ENGINES[@]}"; do
        row geomean "" "$e" "" "" "$(geomean "${SPEEDUPS[$e]}")" "$(geomean "${SCALAR_RATIOS[$e]}")" \
            "$(geomean "${SIMD_RATIOS[$e]}")" ""
    done
    if [[ -n $MISMATCHES ]]; then
        echo "checksum mismatches:"
        printf '%s' "$MISMATCHES"
    fi
    exit 0
fi

# ---- run --------------------------------------------------------------------

declare -A RATIOS
if ((${#PROGRAMS[@]})); then
header=$(printf '%-10s %9s' benchmark native)
for e in "${ENGINES[@]}"; do header+=$(printf ' %13s' "$e"); done
for e in "${ENGINES[@]}"; do header+=$(printf ' %20s' "$e/native"); done
header+="  checksums"
MISMATCHES=""

echo "== running (${RUNS} runs each, best wall time in seconds)" >&2
echo "$header"
for name in "${PROGRAMS[@]}"; do
    res=$OUT/results/$name
    native_t=$(best_time "$res.native" "$OUT/native/$name")
    line=$(printf '%-10s %9s' "$name" "$native_t")
    ratios=""
    verdict=yes
    for e in "${ENGINES[@]}"; do
        t=$(best_time "$res.$e" "run_$e" "$OUT/wasm/$name.wasm")
        line+=$(printf ' %13s' "$t")
        r=$(ratio "$t" "$native_t")
        ratios+=$(printf ' %20s' "$r")
        RATIOS[$e]+=" $r"
        if [[ $t == fail* ]] || ! cmp -s "$res.native" "$res.$e"; then
            verdict=no
            MISMATCHES+="  $name under $e: expected \"$(head -c 200 "$res.native")\", got \"$(head -c 200 "$res.$e")$(head -c 200 "$res.$e.stderr")\""$'\n'
        fi
    done
    echo "$line$ratios  $verdict"
done

summary=$(printf '%-10s %9s' "geomean" "")
for e in "${ENGINES[@]}"; do summary+=$(printf ' %13s' ""); done
for e in "${ENGINES[@]}"; do summary+=$(printf ' %20s' "$(geomean "${RATIOS[$e]}")"); done
echo "$summary"
if [[ -n $MISMATCHES ]]; then
    echo "checksum mismatches:"
    printf '%s' "$MISMATCHES"
fi
echo
fi

# ---- start-up and stdout throughput (issue 3's targets) ------------------------

# loop_time N CMD... : N back-to-back runs of CMD, best of $RUNS loops;
# prints "WALL CPU" in ms per run (CPU = user + system time of the runs).
loop_time() {
    local n=$1 best="" t
    shift
    for ((r = 0; r < RUNS; r++)); do
        t=$({ TIMEFORMAT='%3R %3U %3S'; time for ((i = 0; i < n; i++)); do "$@" >/dev/null 2>&1 || true; done; } 2>&1)
        if [[ -z $best ]] || awk -v a="$t" -v b="$best" 'BEGIN { split(a, x, " "); split(b, y, " "); exit !(x[1] < y[1]) }'; then
            best=$t
        fi
    done
    awk -v t="$best" -v n="$n" 'BEGIN { split(t, x, " "); printf "%.2f %.2f", x[1] * 1000 / n, (x[2] + x[3]) * 1000 / n }'
}

# pipe_time LABEL CMD... : best wall time (s) of CMD writing into a pipe;
# the output's cksum goes to results/LABEL.cksum for comparison.
pipe_time() {
    local label=$1 best="" t
    shift
    for ((r = 0; r < RUNS; r++)); do
        t=$({ TIMEFORMAT=%3R; time "$@" | cksum >"$OUT/results/$label.cksum"; } 2>&1)
        if [[ -z $best ]] || awk "BEGIN { exit !($t < $best) }"; then best=$t; fi
    done
    echo "$best"
}

# The start-up figure includes loading isorun's shared libraries: say which.
libs=$(ldd "$ISORUN" 2>/dev/null | awk '$1 ~ /^lib/ && $1 !~ /^lib(c|m)\.so/ { sub(/\.so.*/, "", $1); printf " %s", $1 }')

HELLO_RUNS=50
echo "start-up: hello.c, process start to exit, ms per run (mean of $HELLO_RUNS runs, best of $RUNS)"
printf '  %-14s %8s %8s\n' "" wall cpu
read -r w c <<<"$(loop_time $HELLO_RUNS "$OUT/native/hello")"
printf '  %-14s %8s %8s\n' native "$w" "$c"
for e in "${ENGINES[@]}"; do
    read -r w c <<<"$(loop_time $HELLO_RUNS "run_$e" "$OUT/wasm/hello.wasm")"
    printf '  %-14s %8s %8s\n' "$e" "$w" "$c"
done
[[ -n $libs ]] && echo "  (isorun loads at start-up:$libs)"

echo
echo "stdout: 100k short lines into a pipe, s (best of $RUNS; ratio to native printf)"
native_printf=$(pipe_time lines.native "$OUT/native/lines")
native_write=$(pipe_time lines_write.native "$OUT/native/lines_write")
printf '  %-34s native %6s\n' "printf, buffered (lines.c)" "$native_printf"
printf '  %-34s native %6s (%sx)\n' "write() per line (lines_write.c)" "$native_write" "$(ratio "$native_write" "$native_printf")"
if [[ -n $MUSL_CC ]]; then
    native_musl=$(pipe_time lines.musl "$OUT/native/lines.musl")
    printf '  %-34s %-13s %6s (%sx)\n' "printf, buffered (lines.c)" native-musl "$native_musl" \
        "$(ratio "$native_musl" "$native_printf")"
else
    echo "  (musl-gcc not found: apt-get install musl-tools adds the same-libc native control)"
fi
for e in "${ENGINES[@]}"; do
    for prog in lines lines_write; do
        t=$(pipe_time "$prog.$e" "run_$e" "$OUT/wasm/$prog.wasm")
        native=$native_printf
        [[ $prog == lines_write ]] && native=$native_write
        label="printf, buffered (lines.c)"
        [[ $prog == lines_write ]] && label="fd_write per line (lines_write.c)"
        note=""
        cmp -s "$OUT/results/lines.native.cksum" "$OUT/results/$prog.$e.cksum" || note=" (output differs!)"
        musl=""
        [[ $prog == lines && -n $MUSL_CC ]] && musl="; $(ratio "$t" "$native_musl")x native-musl"
        printf '  %-34s %-13s %6s (%sx; %sx its native%s)%s\n' "$label" "$e" "$t" "$(ratio "$t" "$native_printf")" \
            "$(ratio "$t" "$native")" "$musl" "$note"
    done
done
