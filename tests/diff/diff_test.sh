#!/usr/bin/env bash
# diff_test.sh — differential tests: the same WASI guest under Node's WASI
# and under `isorun run` must print the same stdout, exit with the same
# status and leave the same files behind. Where Node is not a sandbox
# (symlinks out of a preopen), isorun must refuse instead.
#
#   diff_test.sh CASE ISORUN GUEST_DIR
#
# Each CASE is a function below (CTest registers one test per case). Every
# run gets a fresh copy of the same fixture directory, mounted as /sandbox.
# Exit 0 when all checks pass, 1 otherwise, 77 when the case cannot run here
# (no node, a guest not built, or an isorun without the WASI filesystem).
set -u

CASE=$1
ISORUN=$2
G=$3
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
FAILURES=0

skip() {
    echo "SKIP: $1"
    exit 77
}

command -v node >/dev/null 2>&1 || skip "node is not installed"

fail() {
    echo "FAIL: $1"
    FAILURES=$((FAILURES + 1))
}

# fixture ROOT: the directory tree every run starts from: ROOT/sandbox (the
# mount) and ROOT/outside (beside it, never mounted), with symlinks planted
# by the host pointing from the one into the other.
fixture() {
    local root=$1
    mkdir -p "$root/sandbox/sub" "$root/outside"
    printf 'given file\nsecond line\n' >"$root/sandbox/given.txt"
    printf 'inner\n' >"$root/sandbox/sub/inner.txt"
    printf 'SECRET host data\n' >"$root/outside/secret.txt"
    ln -s ../outside "$root/sandbox/escape"
    ln -s "$root/outside" "$root/sandbox/abs-escape"
}

# tree DIR: every entry below DIR with its type, and each file's size and
# checksum, each symlink's target; sorted. What "the resulting files" are.
tree() {
    (cd "$1" && find . -mindepth 1 \( -type f -printf 'f %p %s ' -exec sh -c 'cksum <"$1" | cut -d" " -f1' _ {} \; \) \
        -o \( -type l -printf 'l %p -> %l\n' \) -o \( -type d -printf 'd %p\n' \) | sort)
}

# run_both NAME [--mount] [--env N=V]... [--stdin FILE] -- GUEST ARGS...
# Runs GUEST under Node and under isorun, each in a fresh fixture under
# $TMP/NAME/{node,isorun}; leaves OUT_*, ERR_*, STATUS_* files there.
run_both() {
    local name=$1
    shift
    local mount=0 stdin=/dev/null
    local -a env=()
    while [[ $1 != -- ]]; do
        case $1 in
        --mount) mount=1 ;;
        --env) env+=(--env "$2"); shift ;;
        --stdin) stdin=$2; shift ;;
        esac
        shift
    done
    shift
    local guest=$1
    shift
    for rt in node isorun; do
        local root=$TMP/$name/$rt
        fixture "$root"
        local -a dir=()
        ((mount)) && dir=(--dir "$root/sandbox::/sandbox")
        local status=0
        if [[ $rt == node ]]; then
            # --single-threaded-gc: Node 20 sometimes crashes at exit with
            # V8's concurrent GC threads (see bench/run.sh).
            env -i PATH="$PATH" node --no-warnings --single-threaded-gc "$HERE/node_wasi.mjs" "${dir[@]}" "${env[@]}" \
                "$G/$guest.wasm" "$@" <"$stdin" >"$root/stdout" 2>"$root/stderr" || status=$?
        else
            env -i PATH="$PATH" "$ISORUN" run "${dir[@]}" "${env[@]}" "$G/$guest.wasm" "$@" \
                <"$stdin" >"$root/stdout" 2>"$root/stderr" || status=$?
            if ((mount)) && grep -q "no filesystem yet" "$root/stderr"; then
                skip "this isorun's WASI layer has no filesystem yet"
            fi
        fi
        echo "$status" >"$root/status"
    done
}

# compare NAME [--stderr]: same stdout, exit status (and stderr), same files.
compare() {
    local name=$1 with_stderr=${2:-}
    local n=$TMP/$name/node i=$TMP/$name/isorun
    if ! cmp -s "$n/stdout" "$i/stdout"; then
        fail "$name: stdout differs (< node, > isorun)"
        diff "$n/stdout" "$i/stdout" | head -40 | sed 's/^/    /'
    fi
    if [[ $(cat "$n/status") != "$(cat "$i/status")" ]]; then
        fail "$name: exit status node $(cat "$n/status"), isorun $(cat "$i/status")"
        head -c 500 "$i/stderr" | sed 's/^/    isorun stderr: /'
    fi
    if [[ $with_stderr == --stderr ]] && ! cmp -s "$n/stderr" "$i/stderr"; then
        fail "$name: stderr differs (< node, > isorun)"
        diff "$n/stderr" "$i/stderr" | head -20 | sed 's/^/    /'
    fi
    # Paths inside the trees are relative, so the two fixtures compare
    # directly; the absolute symlink planted by the host differs by design.
    if ! diff <(tree "$n" | grep -v abs-escape | grep -v ' ./std\| ./status') \
        <(tree "$i" | grep -v abs-escape | grep -v ' ./std\| ./status') >"$TMP/tree.diff"; then
        fail "$name: the resulting files differ (< node, > isorun)"
        head -40 "$TMP/tree.diff" | sed 's/^/    /'
    fi
    if [[ ! -s $n/stdout && ! -s $i/stdout ]]; then
        fail "$name: neither runtime printed anything: the comparison proves nothing"
    fi
}

need() {
    for g in "$@"; do [[ -f $G/$g.wasm ]] || skip "$G/$g.wasm was not built (needs clang for wasm32-wasi)"; done
}

# ---- cases ------------------------------------------------------------------

case_args_env() {
    need diff_args_env
    run_both plain -- diff_args_env
    compare plain
    run_both args -- diff_args_env hello "two words" "" "ümlaut ✓" --not-a-flag
    compare args
    run_both env --env GREETING=hi --env EMPTY= --env WITH_EQUALS=a=b=c --env "SPACED=one two" -- diff_args_env x
    compare env
}

case_stdio() {
    need diff_stdio
    printf 'first line\nsecond line with ümlauts\n\nlast line without newline' >"$TMP/input.txt"
    run_both text --stdin "$TMP/input.txt" -- diff_stdio
    compare text --stderr
    run_both empty -- diff_stdio
    compare empty --stderr
    head -c 300000 /dev/zero | tr '\0' 'x' | fold -w 99 >"$TMP/big.txt"
    run_both big --stdin "$TMP/big.txt" -- diff_stdio
    compare big --stderr
}

case_exit() {
    need diff_exit
    local k=0
    for how in return exit _exit; do
        for code in 0 1 7 42 255 256; do
            run_both "exit$k" -- diff_exit "$how" "$code"
            compare "exit$k"
            k=$((k + 1))
        done
    done
}

case_files() {
    need diff_files
    run_both files --mount -- diff_files /sandbox
    compare files
}

case_dirs() {
    need diff_dirs
    run_both dirs --mount -- diff_dirs /sandbox
    compare dirs
}

case_readdir_many() {
    need diff_readdir_many
    run_both many --mount -- diff_readdir_many /sandbox 300
    compare many
    run_both few --mount -- diff_readdir_many /sandbox 3
    compare few
}

case_links() {
    need diff_links
    run_both links --mount -- diff_links /sandbox
    compare links
}

# Node follows symlinks out of its preopens; isorun must refuse every
# attempt, leave the outside untouched, and still run the guest to the end.
case_sandbox() {
    need diff_sandbox
    local name=sandbox
    # The host path of isorun's outside directory: absolute paths must not
    # reach it (for Node's run it is just as foreign).
    run_both $name --mount -- diff_sandbox /sandbox "$TMP/$name/isorun/outside"
    local n=$TMP/$name/node i=$TMP/$name/isorun
    [[ $(cat "$i/status") == 0 ]] || fail "isorun: the guest must run to its end (status $(cat "$i/status"))"
    [[ $(grep -c ': ' "$i/stdout") -ge 18 ]] || fail "isorun: expected a line per attempt"
    if grep -E ': ok' "$i/stdout" | grep -vE '^symlink made-' >"$TMP/escapes"; then
        fail "isorun let the guest out:"
        sed 's/^/    /' "$TMP/escapes"
    fi
    ! grep -q SECRET "$i/stdout" || fail "isorun: the guest read the secret"
    [[ $(ls "$i/outside") == secret.txt ]] || fail "isorun: files appeared outside the mount: $(ls "$i/outside" | tr '\n' ' ')"
    [[ $(cat "$i/outside/secret.txt") == "SECRET host data" ]] || fail "isorun: the outside file changed"
    [[ ! -e $i/stolen.txt ]] || fail "isorun: a rename moved a file out of the mount"
    [[ -f $i/sandbox/given.txt ]] || fail "isorun: given.txt must stay (its rename out was refused)"
    # What Node did, for the log: the reason this case exists.
    echo "node's WASI let the guest out $(grep -cE ': ok' "$n/stdout") time(s):"
    grep -E ': ok' "$n/stdout" | sed 's/^/    node: /'
    echo "isorun:"
    sed 's/^/    isorun: /' "$i/stdout"
}

# ---- main -------------------------------------------------------------------

declare -F "case_$CASE" >/dev/null || { echo "diff_test.sh: no case named $CASE" >&2; exit 2; }
"case_$CASE"
if ((FAILURES)); then
    echo "$FAILURES check(s) failed in case $CASE"
    exit 1
fi
echo "case $CASE: isorun and node agree"
