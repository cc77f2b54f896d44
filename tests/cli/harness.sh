# harness.sh — what the isorun command's test scripts share (cli_tests.sh,
# native_tests.sh): running isorun cleanly, checks that list every failure,
# skipping a case whose guest was not built, and running the named case.
# Source it after setting ISORUN, TMP (a scratch directory) and CASE.

FAILURES=0

# run ARGS... : runs isorun with a clean environment plus whatever the caller
# exported in RUN_ENV (NAME=VALUE words), stdin from RUN_STDIN, and, when
# RUN_LIMIT is set, killed after that many seconds (status 137: for cases
# whose failure would be a hang); sets STATUS, OUT, ERR.
RUN_ENV=()
RUN_STDIN=/dev/null
RUN_LIMIT=
run() {
    local limit=()
    [[ -n $RUN_LIMIT ]] && limit=(timeout -s KILL "$RUN_LIMIT")
    env -i PATH="$PATH" "${RUN_ENV[@]}" "${limit[@]}" "$ISORUN" "$@" >"$TMP/out" 2>"$TMP/err" <"$RUN_STDIN"
    STATUS=$?
    OUT=$(cat "$TMP/out")
    ERR=$(cat "$TMP/err")
    LAST="isorun $*"
}

fail() {
    echo "FAIL: $LAST"
    echo "  $1"
    echo "  status: $STATUS"
    echo "  stdout: $(head -c 600 "$TMP/out" | sed '2,$s/^/          /')"
    echo "  stderr: $(head -c 600 "$TMP/err" | sed '2,$s/^/          /')"
    FAILURES=$((FAILURES + 1))
}

expect_status() { [[ $STATUS == "$1" ]] || fail "expected exit status $1"; }
expect_out() { [[ $OUT == "$1" ]] || fail "expected stdout: $(printf '%q' "$1")"; }
expect_out_has_line() { grep -qxF -- "$1" "$TMP/out" || fail "expected a stdout line: $1"; }
expect_out_lacks() { ! grep -q -- "$1" "$TMP/out" || fail "stdout must not contain: $1"; }
expect_no_out() { [[ ! -s $TMP/out ]] || fail "expected no stdout"; }
expect_no_err() { [[ ! -s $TMP/err ]] || fail "expected nothing on stderr"; }
# One line on stderr, starting "isorun: ", matching the extended regex.
expect_err_line() {
    local lines
    lines=$(wc -l <"$TMP/err")
    [[ $lines == 1 ]] || fail "expected exactly one line on stderr, got $lines"
    grep -qE -- "^isorun: " "$TMP/err" || fail "stderr must start with 'isorun: '"
    grep -qE -- "$1" "$TMP/err" || fail "stderr must match: $1"
}

need() { # need FILE... : skip the case when a guest was not built
    for f in "$@"; do
        if [[ ! -f $f ]]; then
            echo "SKIP: $f was not built (needs clang for wasm32-wasi and wabt)"
            exit 77
        fi
    done
}

# run_case SCRIPT : runs function case_$CASE and exits 1 if any check failed
# (listing how many), 2 if there is no such case, 0 otherwise.
run_case() {
    if ! declare -F "case_$CASE" >/dev/null; then
        echo "$1: no case named $CASE" >&2
        exit 2
    fi
    "case_$CASE"
    if ((FAILURES)); then
        echo "$FAILURES check(s) failed in case $CASE"
        exit 1
    fi
    echo "case $CASE: all checks passed"
}
