#!/usr/bin/env bash
# compare.sh — runs a real program natively and under `isorun run` and
# compares their output byte for byte.
#
#   compare.sh CASE ISORUN NATIVE_DIR WASM_DIR SOURCE_DIR
#
# NATIVE_DIR holds the host builds (izip, lisp), WASM_DIR the wasm32-wasi
# builds (izip.wasm, lisp.wasm, and izip_simd.wasm: izip built with
# -msimd128, for the izip_simd_* cases, which are the izip_* ones run on it). Exit 0 when they agree (and print what they
# must), 1 otherwise, 77 when the wasm builds are missing.
set -u
CASE=$1 ISORUN=$2 NATIVE=$3 WASM=$4 SRC=$5
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
FAILURES=0

fail() {
    echo "FAIL: $1"
    FAILURES=$((FAILURES + 1))
}

IZIP=izip
if [[ $CASE == izip_simd_* ]]; then
    IZIP=izip_simd
    CASE=izip_${CASE#izip_simd_}
fi
for p in "$IZIP" lisp; do
    [[ -f $WASM/$p.wasm ]] || { echo "SKIP: $WASM/$p.wasm was not built (needs clang for wasm32-wasi)"; exit 77; }
done
# The SIMD build must really use SIMD (clang vectorizes izip's loops).
if [[ $IZIP == izip_simd ]] && command -v wasm-objdump >/dev/null; then
    n=$(wasm-objdump -d "$WASM/$IZIP.wasm" | grep -cE '(v128|i8x16|i16x8|i32x4|i64x2|f32x4|f64x2)\.')
    ((n > 20)) || fail "$IZIP.wasm holds only $n SIMD instructions"
    echo "$IZIP.wasm: $n SIMD instructions"
fi

# same LABEL NATIVE_OUT WASM_OUT: byte-for-byte equal, or the first differences.
same() {
    if cmp -s "$2" "$3"; then
        echo "$1: identical ($(wc -c <"$2") bytes)"
    else
        fail "$1: native and isorun output differ (< native, > isorun)"
        cmp "$2" "$3" | head -3
        diff <(head -c 4000 "$2") <(head -c 4000 "$3") | head -20
    fi
}

case $CASE in
izip_selftest)
    "$NATIVE/izip" selftest 300000 >"$TMP/native" || fail "native selftest exited $?"
    "$ISORUN" run "$WASM/$IZIP.wasm" selftest 300000 >"$TMP/wasm" || fail "isorun selftest exited $?"
    same "selftest" "$TMP/native" "$TMP/wasm"
    grep -qx "all round trips ok" "$TMP/wasm" || fail "the selftest did not pass under isorun"
    ;;
izip_streams)
    # A real input: the programs' own sources and the interpreter's test
    # program, repeated so that it spans several blocks; plus binary bytes.
    for _ in 1 2 3 4 5 6; do cat "$SRC/izip.c" "$SRC/lisp.c" "$SRC/lisp/programs.lisp"; done >"$TMP/input"
    head -c 200000 "$WASM/lisp.wasm" >>"$TMP/input"
    "$NATIVE/izip" c <"$TMP/input" >"$TMP/native.iz" || fail "native compress exited $?"
    "$ISORUN" run "$WASM/$IZIP.wasm" c <"$TMP/input" >"$TMP/wasm.iz" || fail "isorun compress exited $?"
    same "compressed stream" "$TMP/native.iz" "$TMP/wasm.iz"
    (($(wc -c <"$TMP/wasm.iz") < $(wc -c <"$TMP/input") / 2)) || fail "compression did not halve the input"
    # Each side decompresses the other's stream.
    "$ISORUN" run "$WASM/$IZIP.wasm" d <"$TMP/native.iz" >"$TMP/wasm.out" || fail "isorun decompress exited $?"
    "$NATIVE/izip" d <"$TMP/wasm.iz" >"$TMP/native.out" || fail "native decompress exited $?"
    same "isorun's decompression" "$TMP/input" "$TMP/wasm.out"
    same "native decompression of isorun's stream" "$TMP/input" "$TMP/native.out"
    # A corrupt stream is an error on both sides, with the same message.
    head -c 2000 "$TMP/native.iz" >"$TMP/cut.iz"
    "$NATIVE/izip" d <"$TMP/cut.iz" >/dev/null 2>"$TMP/native.err"
    native_status=$?
    "$ISORUN" run "$WASM/$IZIP.wasm" d <"$TMP/cut.iz" >/dev/null 2>"$TMP/wasm.err"
    wasm_status=$?
    [[ $native_status == 1 && $wasm_status == 1 ]] || fail "a truncated stream: native exit $native_status, isorun $wasm_status (both must be 1)"
    same "error message" "$TMP/native.err" "$TMP/wasm.err"
    ;;
lisp)
    "$NATIVE/lisp" <"$SRC/lisp/programs.lisp" >"$TMP/native" || fail "native lisp exited $?"
    "$ISORUN" run "$WASM/lisp.wasm" <"$SRC/lisp/programs.lisp" >"$TMP/wasm" || fail "isorun lisp exited $?"
    same "lisp programs" "$TMP/native" "$TMP/wasm"
    for line in "fib 18 = 2584" "sum 1..1000 = 500500" "tail loop: 599994" "counters: (3 10 4)" \
        "primes below 2000: 303, largest 1999" "ack 2 7 = 17" "collections ran: #t"; do
        grep -qxF "$line" "$TMP/wasm" || fail "expected the line: $line"
    done
    grep -q "^sorted 1500: #t, length 1500" "$TMP/wasm" || fail "the merge sort went wrong"
    # An error in the program: the same message and status on both sides.
    echo '(display (car 5))' >"$TMP/bad.lisp"
    "$NATIVE/lisp" <"$TMP/bad.lisp" >/dev/null 2>"$TMP/native.err"
    native_status=$?
    "$ISORUN" run "$WASM/lisp.wasm" <"$TMP/bad.lisp" >/dev/null 2>"$TMP/wasm.err"
    wasm_status=$?
    [[ $native_status == 1 && $wasm_status == 1 ]] || fail "an error: native exit $native_status, isorun $wasm_status (both must be 1)"
    same "error message" "$TMP/native.err" "$TMP/wasm.err"
    ;;
*)
    echo "compare.sh: no case named $CASE" >&2
    exit 2
    ;;
esac
if ((FAILURES)); then
    echo "$FAILURES check(s) failed"
    exit 1
fi
